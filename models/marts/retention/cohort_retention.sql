{#-
    Cohort retention: customers grouped by the period of their first activity (their cohort), and
    how many of each cohort are active n periods later ("on" retention), or active then or at any
    later period up to as_of_date (unbounded retention). Active means active at any instant of the
    period in subscription mode, at least one transaction in it in transaction mode
    (is_active_in_period). Only cells up to the as_of_date period exist (int_cohort_cells).
-#}

with

cohort_cells as (

    select * from {{ ref('int_cohort_cells') }}

),

customer_cohorts as (

    select * from {{ ref('int_customer_cohorts') }}

),

customer_periods as (

    select * from {{ ref('int_customer_period_runs_classified') }}

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

counted as (

    select
        cohort_cells.period_grain,
        cohort_cells.cohort_start,
        cohort_cells.period_number,
        cohort_cells.period_start,
        cohort_cells.is_complete,
        cohort_cells.cohort_size,
        coalesce(active_counts.active_customers, 0) as active_customers,
        coalesce(on_or_after_counts.active_on_or_after_customers, 0) as active_on_or_after_customers

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
        {{ percentage('active_customers', 'cohort_size') }} as retention_pct,
        {{ percentage('active_on_or_after_customers', 'cohort_size') }} as retention_on_or_after_pct

    from counted

)

select * from final
