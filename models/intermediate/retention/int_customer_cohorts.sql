{#-
    Each active customer's cohort, at each grain of period_grains: the first period in which they were active (is_active_in_period
    of the activity mode), and the last such period up to as_of_date. Customers never active (for
    example, in subscription mode, customers with payments but no subscription) have no cohort.
-#}

with

customer_periods as (

    select * from {{ ref('int_customer_period_runs_classified') }}

),

final as (

    select
        customer_id,
        period_grain,
        min(period_start) as cohort_start,
        max(last_period_start) as last_active_period_start

    from customer_periods
    where is_active_in_period
    group by customer_id, period_grain

)

select * from final
