-- Every cent of a cohort member's net revenue up to as_of_date is in their cohort: the cumulative
-- revenue at each cohort's last cell, summed over cohorts, equals the staged transactions of all
-- customers with a cohort up to the end of as_of_date, at every grain. Fails with the grain and
-- the two totals when they differ. A customer has a cohort at a grain when they are active in at
-- least one of its periods (is_active_in_period).

with

cltv_by_cohort as (

    select * from {{ ref('cltv_by_cohort') }}

),

customer_periods as (

    select * from {{ ref('int_customer_period_runs_classified') }}

),

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

cohort_members as (

    select distinct
        customer_id,
        period_grain

    from customer_periods
    where is_active_in_period

),

last_cells as (

    select
        period_grain,
        cohort_start,
        max(period_number) as last_period_number

    from cltv_by_cohort
    group by period_grain, cohort_start

),

cohort_total as (

    select
        cltv_by_cohort.period_grain,
        sum(cltv_by_cohort.cumulative_revenue) as revenue

    from cltv_by_cohort
    inner join last_cells
        on
            cltv_by_cohort.period_grain = last_cells.period_grain
            and cltv_by_cohort.cohort_start = last_cells.cohort_start
            and cltv_by_cohort.period_number = last_cells.last_period_number
    group by cltv_by_cohort.period_grain

),

members_total as (

    select
        cohort_members.period_grain,
        sum(transactions.amount) as revenue

    from transactions
    inner join cohort_members
        on transactions.customer_id = cohort_members.customer_id
    where transactions.occurred_at < {{ as_of_end_at() }}
    group by cohort_members.period_grain

),

final as (

    select
        coalesce(cohort_total.period_grain, members_total.period_grain) as period_grain,
        cohort_total.revenue as cohort_revenue,
        members_total.revenue as members_revenue

    from cohort_total
    full outer join members_total
        on cohort_total.period_grain = members_total.period_grain
    where coalesce(cohort_total.revenue, 0) != coalesce(members_total.revenue, 0)

)

select * from final
