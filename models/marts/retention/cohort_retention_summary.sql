{#-
    The average retention curve: per period_number, the cohorts' retention pooled over complete
    cells only (a cell whose period has not ended would pull the average down), weighted by cohort
    size: sum of active customers / sum of cohort sizes, never an average of percentages. Read
    from the cells of int_cohort_periods_counted, as cohort_retention is.
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
        sum(case when is_complete then active_customers else 0 end) as active_customers,
        sum(case when is_complete then active_on_or_after_customers else 0 end) as active_on_or_after_customers

    from cohort_periods
    group by period_grain, period_number

),

final as (

    select
        period_grain,
        period_number,
        cast(cohorts_averaged as {{ dbt.type_bigint() }}) as cohorts_averaged,
        cast(cohort_customers as {{ dbt.type_bigint() }}) as cohort_customers,
        cast(active_customers as {{ dbt.type_bigint() }}) as active_customers,
        cast(active_on_or_after_customers as {{ dbt.type_bigint() }}) as active_on_or_after_customers,
        {{ percentage('active_customers', 'cohort_customers') }} as retention_pct,
        {{ percentage('active_on_or_after_customers', 'cohort_customers') }} as retention_on_or_after_pct

    from pooled

)

select * from final
