with

retention_counts as (

    select * from {{ ref('int_customer_periods_aggregated_to_segments') }}

),

final as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        customers_at_start,
        customers_at_end,
        new_customers,
        reactivated_customers,
        retained_customers,
        churned_customers,
        joined_and_left_customers,
        {{ retention_rate(
            'customers_at_end',
            'new_customers + reactivated_customers',
            'customers_at_start'
        ) }} as retention_rate_pct,
        {{ churn_rate('churned_customers', 'customers_at_start') }} as churn_rate_pct,
        is_complete,
        period_end

    from retention_counts

)

select * from final
