{#-
    The cells of the cohort triangle, once for every cohort mart: each cohort (the period of its
    members' first activity, int_customer_cohorts) crossed with every period from its own to the
    period containing as_of_date, with the cohort's size and the cell's age in periods.
-#}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

customer_cohorts as (

    select * from {{ ref('int_customer_cohorts') }}

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

final as (

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

)

select * from final
