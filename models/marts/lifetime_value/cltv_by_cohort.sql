{#-
    Historical CLTV per acquisition cohort (METRICS.md): the cohort's cumulative net revenue up to
    and including each period, divided by the cohort's size. Cohorts and cells as in
    cohort_retention (int_cohort_cells). A member's revenue from before their cohort period (a
    payment before their first subscription) counts in period 0.
-#}

with

cohort_cells as (

    select * from {{ ref('int_cohort_cells') }}

),

customer_cohorts as (

    select * from {{ ref('int_customer_cohorts') }}

),

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

-- each member's transactions up to the end of as_of_date, in the periods of their cohort's grain
-- (summed straight from the transactions: no per-customer-per-period table is needed)
member_transactions as (

    select
        customer_cohorts.period_grain,
        customer_cohorts.cohort_start,
        transactions.amount,
        {{ period_start_at_grain('customer_cohorts.period_grain', 'transactions.occurred_at') }} as period_start

    from transactions
    inner join customer_cohorts
        on transactions.customer_id = customer_cohorts.customer_id
    where transactions.occurred_at < {{ as_of_end_at() }}

),

-- a member's revenue from before their cohort period counts in the cohort period
revenue_in_cohort_periods as (

    select
        period_grain,
        cohort_start,
        amount as revenue,
        case
            when period_start < cohort_start then cohort_start
            else period_start
        end as period_start

    from member_transactions

),

cohort_revenue as (

    select
        period_grain,
        cohort_start,
        period_start,
        sum(revenue) as revenue

    from revenue_in_cohort_periods
    group by period_grain, cohort_start, period_start

),

accumulated as (

    select
        cohort_cells.period_grain,
        cohort_cells.cohort_start,
        cohort_cells.period_number,
        cohort_cells.period_start,
        cohort_cells.is_complete,
        cohort_cells.cohort_size,
        coalesce(cohort_revenue.revenue, 0) as revenue,
        sum(coalesce(cohort_revenue.revenue, 0)) over (
            partition by cohort_cells.period_grain, cohort_cells.cohort_start
            order by cohort_cells.period_start
            rows between unbounded preceding and current row
        ) as cumulative_revenue

    from cohort_cells
    left join cohort_revenue
        on
            cohort_cells.period_grain = cohort_revenue.period_grain
            and cohort_cells.cohort_start = cohort_revenue.cohort_start
            and cohort_cells.period_start = cohort_revenue.period_start

),

final as (

    select
        period_grain,
        cohort_start,
        period_number,
        period_start,
        is_complete,
        cohort_size,
        cast(revenue as {{ dbt.type_numeric() }}) as revenue,
        cast(cumulative_revenue as {{ dbt.type_numeric() }}) as cumulative_revenue,
        {{ safe_divide('cumulative_revenue', 'cohort_size') }} as cumulative_revenue_per_customer

    from accumulated

)

select * from final
