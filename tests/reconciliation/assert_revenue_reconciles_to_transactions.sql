-- Revenue summed over every period equals the sum of all transaction amounts up to as_of_date,
-- at every grain, for the `all` segment and for every other segment type (each partitions the
-- customers).
-- Exact: amounts are decimals. Returns the segment types that do not reconcile.

with

cltv as (

    select * from {{ ref('cltv_by_period') }}

),

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

transaction_total as (

    select coalesce(sum(amount), 0) as total_amount
    from transactions
    where occurred_at < {{ as_of_end_at() }}

),

revenue_by_segment_type as (

    select
        period_grain,
        segment_type,
        sum(revenue) as total_revenue
    from cltv
    group by period_grain, segment_type

),

validation_errors as (

    select
        revenue_by_segment_type.period_grain,
        revenue_by_segment_type.segment_type,
        revenue_by_segment_type.total_revenue,
        transaction_total.total_amount

    from revenue_by_segment_type
    cross join transaction_total
    where revenue_by_segment_type.total_revenue != transaction_total.total_amount

)

select * from validation_errors
