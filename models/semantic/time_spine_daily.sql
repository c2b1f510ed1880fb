{#-
    MetricFlow's time spine: one row per day from the first period's start to the last period's
    end (exclusive), which is every day a metric's period can fall on. Days come from a cross join
    of digits (up to 100,000 days), the same SQL on every engine.
-#}
with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

digits as (

    {% for digit in range(10) %}
    select {{ digit }} as digit
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

day_numbers as (

    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_number

    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands

),

bounds as (

    select
        min(period_start) as first_day,
        max(period_end) as end_day

    from periods

),

days as (

    select cast({{ dbt.dateadd('day', 'day_numbers.day_number', 'bounds.first_day') }} as date) as date_day

    from day_numbers
    cross join bounds

),

final as (

    select days.date_day

    from days
    cross join bounds
    where days.date_day < bounds.end_day

)

select * from final
