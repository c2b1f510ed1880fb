with

period_segments as (

    select * from {{ ref('int_period_segments_retention_counted') }}

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
        moved_in_customers,
        moved_out_customers,
        joined_and_left_customers,
        {{ retention_rate(
            'customers_at_end',
            'new_customers + reactivated_customers + moved_in_customers',
            'customers_at_start'
        ) }} as retention_rate_pct,
        {{ churn_rate('churned_customers', 'customers_at_start') }} as churn_rate_pct,
        is_complete,
        period_end

    from period_segments

)

select * from final
