-- Every segment type partitions the customers, so in each period the counts of its segment
-- values add up to the `all` row: retention counts, NPS counts, revenue and MRR alike. The plan
-- segment partitions them at each instant: plans add up in CS, CE and MRR, and in the period's
-- movements once moves between plans are netted out (moved_out, inside churned, is not churn of
-- the business; every moved_out has its moved_in in another plan).
-- Returns the (mart, grain, period, segment type) combinations that do not add up.

with

retention as (

    select * from {{ ref('retention_by_period') }}

),

nps as (

    select * from {{ ref('nps_by_period') }}

),

cltv as (

    select * from {{ ref('cltv_by_period') }}

),

revenue_retention as (

    select * from {{ ref('revenue_retention_by_period') }}

),

counts as (

    select
        'retention_by_period' as mart,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        customers_at_start as first_count,
        customers_at_end as second_count,
        churned_customers - moved_out_customers + new_customers + reactivated_customers
        + joined_and_left_customers as third_count
    from retention

    union all

    select
        'nps_by_period' as mart,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        responses as first_count,
        promoters as second_count,
        detractors as third_count
    from nps

    union all

    select
        'cltv_by_period' as mart,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        paying_customers as first_count,
        revenue as second_count,
        0 as third_count
    from cltv

    union all

    select
        'revenue_retention_by_period' as mart,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        mrr_at_start as first_count,
        mrr_at_end as second_count,
        paying_customers_at_end as third_count
    from revenue_retention

),

segment_totals as (

    select
        mart,
        period_grain,
        period_start,
        segment_type,
        sum(first_count) as first_count,
        sum(second_count) as second_count,
        sum(third_count) as third_count
    from counts
    where segment_type != 'all'
    group by mart, period_grain, period_start, segment_type

),

all_rows as (

    select * from counts
    where segment_type = 'all'

),

validation_errors as (

    select
        segment_totals.mart,
        segment_totals.period_grain,
        segment_totals.period_start,
        segment_totals.segment_type

    from segment_totals
    inner join all_rows
        on
            segment_totals.mart = all_rows.mart
            and segment_totals.period_grain = all_rows.period_grain
            and segment_totals.period_start = all_rows.period_start
    where
        segment_totals.first_count != all_rows.first_count
        or segment_totals.second_count != all_rows.second_count
        or segment_totals.third_count != all_rows.third_count

)

select * from validation_errors
