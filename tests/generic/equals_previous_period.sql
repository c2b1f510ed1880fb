{#-
    Period continuity: in every segment of every grain, a period's value of `column_name` (taken
    at the period's start) equals the previous period's value of `previous_column` (taken at its
    end, the same instant). Fails on every period where it does not. Used for CS = previous CE
    (retention_by_period) and MRR at start = previous MRR at end (revenue_retention_by_period).
-#}
{% test equals_previous_period(model, column_name, previous_column) %}

with

with_previous as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        {{ column_name }} as value_at_start,
        lag({{ previous_column }}) over (
            partition by period_grain, segment_type, segment_value
            order by period_start
        ) as previous_value_at_end

    from {{ model }}

),

validation_errors as (

    select * from with_previous
    where
        previous_value_at_end is not null
        and value_at_start != previous_value_at_end

)

select * from validation_errors

{% endtest %}
