{#-
    The average historical CLTV curve: per period_number, the cumulative revenue of every cohort
    whose cell is complete, over the sum of their sizes (weighted by size, never an average of
    the cohorts' per-customer figures). Read from the cells of int_cohort_periods_counted, as
    cltv_by_cohort is.
-#}

with

cohort_periods as (

    select * from {{ ref('int_cohort_periods_counted') }}

),

pooled as (

    select
        period_grain,
        period_number,
        sum(case when is_complete then 1 else 0 end) as cohorts_averaged,
        sum(case when is_complete then cohort_size else 0 end) as cohort_customers,
        sum(case when is_complete then cumulative_revenue else 0 end) as cumulative_revenue

    from cohort_periods
    group by period_grain, period_number

),

final as (

    select
        period_grain,
        period_number,
        cast(cohorts_averaged as {{ dbt.type_bigint() }}) as cohorts_averaged,
        cast(cohort_customers as {{ dbt.type_bigint() }}) as cohort_customers,
        cast(cumulative_revenue as {{ dbt.type_numeric() }}) as cumulative_revenue,
        {{ safe_divide('cumulative_revenue', 'cohort_customers') }} as cumulative_revenue_per_customer

    from pooled

)

select * from final
