-- Every cent of a cohort member's net revenue up to as_of_date is in their cohort: the cumulative
-- revenue at each cohort's last cell, summed over cohorts, equals the revenue of all customers
-- with a cohort. Fails with the two totals when they differ.

with

cltv_by_cohort as (

    select * from {{ ref('cltv_by_cohort') }}

),

customer_cohorts as (

    select * from {{ ref('int_customer_cohorts') }}

),

customer_revenue as (

    select * from {{ ref('int_transactions_aggregated_to_customer_periods') }}

),

last_cells as (

    select
        cohort_start,
        max(period_number) as last_period_number

    from cltv_by_cohort
    group by cohort_start

),

cohort_total as (

    select coalesce(sum(cltv_by_cohort.cumulative_revenue), 0) as revenue

    from cltv_by_cohort
    inner join last_cells
        on
            cltv_by_cohort.cohort_start = last_cells.cohort_start
            and cltv_by_cohort.period_number = last_cells.last_period_number

),

members_total as (

    select coalesce(sum(customer_revenue.revenue), 0) as revenue

    from customer_revenue
    inner join customer_cohorts
        on customer_revenue.customer_id = customer_cohorts.customer_id

),

final as (

    select
        cohort_total.revenue as cohort_revenue,
        members_total.revenue as members_revenue

    from cohort_total
    cross join members_total
    where cohort_total.revenue != members_total.revenue

)

select * from final
