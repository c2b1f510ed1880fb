{#-
    Fails on every row whose value lies outside [min_value, max_value] (both inclusive); without
    max_value, on every row below min_value (a rate with a floor and no ceiling, such as net
    revenue retention). Null passes: a rate is null when its denominator is zero, and not_null
    says otherwise.
-#}
{% test within_bounds(model, column_name, min_value, max_value=none) %}

with

validation_errors as (

    select *
    from {{ model }}
    where
        {{ column_name }} < {{ min_value }}
        {% if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {% endif %}

)

select * from validation_errors

{% endtest %}
