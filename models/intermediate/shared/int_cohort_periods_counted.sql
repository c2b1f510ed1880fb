{#-
    The cells of the cohort triangle, once for every cohort mart: each cohort (the customers
    whose first active period, is_active_in_period, it is) crossed with every period from its own
    to the period containing as_of_date, with the cohort's size, its members active in the period
    and active then or later, and its members' revenue. The customers' cohorts are a CTE here, so
    that every cohort mart reads one model at the cohort x period grain.
-#}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

-- runs of periods in which a customer's class does not change, read twice (the cohorts and the
-- active counts): not stored in between, as in the segment counts
customer_periods as {{ not_materialized() }} (

    select * from {{ ref('int_customer_period_runs_classified') }}

),

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

-- each active customer's cohort (first active period) and last active period, at every grain;
-- customers never active (in subscription mode, payments without a subscription) have none
customer_cohorts as (

    select
        customer_id,
        period_grain,
        min(period_start) as cohort_start,
        max(last_period_start) as last_active_period_start

    from customer_periods
    where is_active_in_period
    group by customer_id, period_grain

),

numbered_periods as (

    select
        period_grain,
        period_start,
        is_complete,
        row_number() over (partition by period_grain order by period_start) as period_index

    from periods

),

cohort_sizes as (

    select
        customer_cohorts.period_grain,
        customer_cohorts.cohort_start,
        numbered_periods.period_index as cohort_index,
        count(*) as cohort_size

    from customer_cohorts
    inner join numbered_periods
        on
            customer_cohorts.period_grain = numbered_periods.period_grain
            and customer_cohorts.cohort_start = numbered_periods.period_start
    group by customer_cohorts.period_grain, customer_cohorts.cohort_start, numbered_periods.period_index

),

cohort_cells as (

    select
        cohort_sizes.period_grain,
        cohort_sizes.cohort_start,
        cast(numbered_periods.period_index - cohort_sizes.cohort_index as {{ dbt.type_int() }}) as period_number,
        numbered_periods.period_start,
        numbered_periods.is_complete,
        cast(cohort_sizes.cohort_size as {{ dbt.type_bigint() }}) as cohort_size

    from cohort_sizes
    inner join numbered_periods
        on
            cohort_sizes.period_grain = numbered_periods.period_grain
            and cohort_sizes.cohort_index <= numbered_periods.period_index

),

-- the active customers counted per cohort and run of periods (customer_periods holds runs of
-- periods in which nothing changes): a few thousand rows, whatever the number of customers
active_run_counts as (

    select
        customer_cohorts.period_grain,
        customer_cohorts.cohort_start,
        customer_periods.period_start,
        customer_periods.last_period_start,
        count(*) as active_customers

    from customer_periods
    inner join customer_cohorts
        on
            customer_periods.period_grain = customer_cohorts.period_grain
            and customer_periods.customer_id = customer_cohorts.customer_id
    where customer_periods.is_active_in_period
    group by
        customer_cohorts.period_grain,
        customer_cohorts.cohort_start,
        customer_periods.period_start,
        customer_periods.last_period_start

),

-- each run's count in every cell (period) of its cohort that the run covers
active_counts as (

    select
        cohort_cells.period_grain,
        cohort_cells.cohort_start,
        cohort_cells.period_start,
        sum(active_run_counts.active_customers) as active_customers

    from active_run_counts
    inner join cohort_cells
        on
            {{ run_covers_period('active_run_counts', 'cohort_cells') }}
            and active_run_counts.cohort_start = cohort_cells.cohort_start
    group by cohort_cells.period_grain, cohort_cells.cohort_start, cohort_cells.period_start

),

last_active_counts as (

    select
        period_grain,
        cohort_start,
        last_active_period_start,
        count(*) as customers

    from customer_cohorts
    group by period_grain, cohort_start, last_active_period_start

),

-- members whose last active period is this cell's or a later one
on_or_after_counts as (

    select
        cohort_cells.period_grain,
        cohort_cells.cohort_start,
        cohort_cells.period_start,
        sum(last_active_counts.customers) as active_on_or_after_customers

    from cohort_cells
    inner join last_active_counts
        on
            cohort_cells.period_grain = last_active_counts.period_grain
            and cohort_cells.cohort_start = last_active_counts.cohort_start
            and cohort_cells.period_start <= last_active_counts.last_active_period_start
    group by cohort_cells.period_grain, cohort_cells.cohort_start, cohort_cells.period_start

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

-- a member's revenue from before their cohort period (a payment before their first
-- subscription) counts in the cohort period
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

counted as (

    select
        cohort_cells.period_grain,
        cohort_cells.cohort_start,
        cohort_cells.period_number,
        cohort_cells.period_start,
        cohort_cells.is_complete,
        cohort_cells.cohort_size,
        coalesce(active_counts.active_customers, 0) as active_customers,
        coalesce(on_or_after_counts.active_on_or_after_customers, 0) as active_on_or_after_customers,
        coalesce(cohort_revenue.revenue, 0) as revenue,
        sum(coalesce(cohort_revenue.revenue, 0)) over (
            partition by cohort_cells.period_grain, cohort_cells.cohort_start
            order by cohort_cells.period_start
            rows between unbounded preceding and current row
        ) as cumulative_revenue

    from cohort_cells
    left join active_counts
        on
            cohort_cells.period_grain = active_counts.period_grain
            and cohort_cells.cohort_start = active_counts.cohort_start
            and cohort_cells.period_start = active_counts.period_start
    left join on_or_after_counts
        on
            cohort_cells.period_grain = on_or_after_counts.period_grain
            and cohort_cells.cohort_start = on_or_after_counts.cohort_start
            and cohort_cells.period_start = on_or_after_counts.period_start
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
        cast(active_customers as {{ dbt.type_bigint() }}) as active_customers,
        cast(active_on_or_after_customers as {{ dbt.type_bigint() }}) as active_on_or_after_customers,
        cast(revenue as {{ dbt.type_numeric() }}) as revenue,
        cast(cumulative_revenue as {{ dbt.type_numeric() }}) as cumulative_revenue

    from counted

)

select * from final
