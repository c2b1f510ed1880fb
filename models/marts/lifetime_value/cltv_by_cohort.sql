{#-
    Historical CLTV per acquisition cohort (METRICS.md): the cohort's cumulative net revenue up to
    and including each period, divided by the cohort's size. Cohorts, cells and their revenue as
    in cohort_retention (int_cohort_periods_counted). A member's revenue from before their cohort
    period (a payment before their first subscription) counts in period 0.
-#}

with

cohort_periods as (

    select * from {{ ref('int_cohort_periods_counted') }}

),

final as (

    select
        period_grain,
        cohort_start,
        period_number,
        period_start,
        is_complete,
        cohort_size,
        revenue,
        cumulative_revenue,
        {{ safe_divide('cumulative_revenue', 'cohort_size') }} as cumulative_revenue_per_customer

    from cohort_periods

)

select * from final
