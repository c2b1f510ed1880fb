-- MRR at the start of a period equals MRR at the end of the period before, in every segment
-- (plans included) of every grain: both are read at the same instant.
-- Returns the periods where it does not.

with

revenue_retention as (

    select * from {{ ref('revenue_retention_by_period') }}

),

with_previous as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        mrr_at_start,
        lag(mrr_at_end) over (
            partition by period_grain, segment_type, segment_value
            order by period_start
        ) as previous_mrr_at_end

    from revenue_retention

),

validation_errors as (

    select * from with_previous
    where
        previous_mrr_at_end is not null
        and mrr_at_start != previous_mrr_at_end

)

select * from validation_errors
