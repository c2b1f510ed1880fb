{#-
    Cohort retention: customers grouped by the period of their first activity (their cohort), and
    how many of each cohort are active n periods later ("on" retention), or active then or at any
    later period up to as_of_date (unbounded retention). Active means active at any instant of the
    period in subscription mode, at least one transaction in it in transaction mode
    (is_active_in_period). Only cells up to the as_of_date period exist.
-#}
{%- set grain = get_period_grain() -%}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

customer_periods as (

    select * from {{ ref('int_customer_periods_classified') }}

),

customer_cohorts as (

    select * from {{ ref('int_customer_cohorts') }}

),

numbered_periods as (

    select
        period_start,
        is_complete,
        row_number() over (order by period_start) as period_index

    from periods

),

active_periods as (

    select
        customer_periods.customer_id,
        numbered_periods.period_index

    from customer_periods
    inner join numbered_periods
        on customer_periods.period_start = numbered_periods.period_start
    where customer_periods.is_active_in_period

),

customer_spans as (

    select
        customer_cohorts.customer_id,
        cohort_periods.period_index as cohort_index,
        last_periods.period_index as last_active_index

    from customer_cohorts
    inner join numbered_periods as cohort_periods
        on customer_cohorts.cohort_start = cohort_periods.period_start
    inner join numbered_periods as last_periods
        on customer_cohorts.last_active_period_start = last_periods.period_start

),

cohort_sizes as (

    select
        cohort_index,
        count(*) as cohort_size

    from customer_spans
    group by cohort_index

),

last_active_counts as (

    select
        cohort_index,
        last_active_index,
        count(*) as customers

    from customer_spans
    group by cohort_index, last_active_index

),

active_counts as (

    select
        customer_spans.cohort_index,
        active_periods.period_index,
        count(*) as active_customers

    from active_periods
    inner join customer_spans
        on active_periods.customer_id = customer_spans.customer_id
    group by customer_spans.cohort_index, active_periods.period_index

),

-- every cell from the cohort's own period to the as_of_date period
cells as (

    select
        cohort_sizes.cohort_index,
        cohort_sizes.cohort_size,
        numbered_periods.period_index,
        numbered_periods.period_start,
        numbered_periods.is_complete

    from cohort_sizes
    inner join numbered_periods
        on cohort_sizes.cohort_index <= numbered_periods.period_index

),

on_or_after_counts as (

    select
        cells.cohort_index,
        cells.period_index,
        sum(last_active_counts.customers) as active_on_or_after_customers

    from cells
    inner join last_active_counts
        on
            cells.cohort_index = last_active_counts.cohort_index
            and cells.period_index <= last_active_counts.last_active_index
    group by cells.cohort_index, cells.period_index

),

counted as (

    select
        cohorts.period_start as cohort_start,
        cells.period_index - cells.cohort_index as period_number,
        cells.period_start,
        cells.is_complete,
        cells.cohort_size,
        coalesce(active_counts.active_customers, 0) as active_customers,
        coalesce(on_or_after_counts.active_on_or_after_customers, 0) as active_on_or_after_customers

    from cells
    inner join numbered_periods as cohorts
        on cells.cohort_index = cohorts.period_index
    left join active_counts
        on
            cells.cohort_index = active_counts.cohort_index
            and cells.period_index = active_counts.period_index
    left join on_or_after_counts
        on
            cells.cohort_index = on_or_after_counts.cohort_index
            and cells.period_index = on_or_after_counts.period_index

),

final as (

    select
        '{{ grain }}' as period_grain,
        cohort_start,
        cast(period_number as {{ dbt.type_int() }}) as period_number,
        period_start,
        is_complete,
        cast(cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        cast(active_customers as {{ dbt.type_bigint() }}) as active_customers,
        cast(active_on_or_after_customers as {{ dbt.type_bigint() }}) as active_on_or_after_customers,
        {{ percentage('active_customers', 'cohort_size') }} as retention_pct,
        {{ percentage('active_on_or_after_customers', 'cohort_size') }} as retention_on_or_after_pct

    from counted

)

select * from final
