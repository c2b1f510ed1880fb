-- retention_by_nps_category splits each period's CS and churned customers by NPS category: summed
-- over the four categories they equal the 'all' row of retention_by_period, in every period of
-- every grain (a customer is in exactly one category at each period start).
-- Returns a row for each period whose sums disagree, or that one mart has and the other lacks.

with

by_category as (

    select * from {{ ref('retention_by_nps_category') }}

),

retention as (

    select * from {{ ref('retention_by_period') }}
    where segment_type = 'all'

),

summed as (

    select
        period_grain,
        period_start,
        sum(customers_at_start) as customers_at_start,
        sum(churned_customers) as churned_customers

    from by_category
    group by period_grain, period_start

),

final as (

    select
        coalesce(retention.period_grain, summed.period_grain) as period_grain,
        coalesce(retention.period_start, summed.period_start) as period_start,
        retention.customers_at_start as retention_customers_at_start,
        summed.customers_at_start as category_customers_at_start,
        retention.churned_customers as retention_churned_customers,
        summed.churned_customers as category_churned_customers

    from retention
    full outer join summed
        on
            retention.period_grain = summed.period_grain
            and retention.period_start = summed.period_start
    where
        retention.period_start is null
        or summed.period_start is null
        or retention.customers_at_start != summed.customers_at_start
        or retention.churned_customers != summed.churned_customers

)

select * from final
