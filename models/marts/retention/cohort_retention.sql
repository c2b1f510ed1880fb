{#-
    Cohort retention: customers grouped by the period of their first activity (their cohort), and
    how many of each cohort are active n periods later ("on" retention), or active then or at any
    later period up to as_of_date (unbounded retention). Active means active at any instant of the
    period in subscription mode, at least one transaction in it in transaction mode
    (is_active_in_period). The cells and their counts: int_cohort_periods_counted.
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
        active_customers,
        active_on_or_after_customers,
        {{ percentage('active_customers', 'cohort_size') }} as retention_pct,
        {{ percentage('active_on_or_after_customers', 'cohort_size') }} as retention_on_or_after_pct

    from cohort_periods

)

select * from final
