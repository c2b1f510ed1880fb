-- CS of a period equals CE of the period before, in every segment of every grain.
-- Returns the periods where it does not.

with

retention as (

    select * from {{ ref('retention_by_period') }}

),

with_previous as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        customers_at_start,
        lag(customers_at_end) over (
            partition by period_grain, segment_type, segment_value
            order by period_start
        ) as previous_customers_at_end

    from retention

),

validation_errors as (

    select * from with_previous
    where
        previous_customers_at_end is not null
        and customers_at_start != previous_customers_at_end

)

select * from validation_errors
