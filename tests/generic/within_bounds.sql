{#-
    Fails on every row whose value lies outside [min_value, max_value] (both inclusive).
    Null passes: a rate is null when its denominator is zero, and not_null says otherwise.
-#}
{% test within_bounds(model, column_name, min_value, max_value) %}

with

validation_errors as (

    select *
    from {{ model }}
    where
        {{ column_name }} < {{ min_value }}
        or {{ column_name }} > {{ max_value }}

)

select * from validation_errors

{% endtest %}
