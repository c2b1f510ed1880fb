{%- set window_periods = validated_var('cltv_churn_window_periods') -%}

with

period_segments as (

    select * from {{ ref('int_period_segments_revenue_counted') }}

),

with_trailing_churn as (

    select
        *,
        sum(churned_customers) over trailing_window as trailing_churned_customers,
        sum(customers_at_start) over trailing_window as trailing_customers_at_start

    from period_segments
    window trailing_window as (
        partition by period_grain, segment_type, segment_value
        order by period_start
        rows between {{ window_periods - 1 }} preceding and current row
    )

),

with_rates as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        paying_customers,
        revenue,
        {{ arpa('revenue', 'paying_customers') }} as arpa,
        {{ churn_rate('trailing_churned_customers', 'trailing_customers_at_start') }} as trailing_churn_rate_pct,
        cast({{ validated_var('gross_margin') }} as {{ type_double() }}) as gross_margin,
        is_complete,
        period_end

    from with_trailing_churn

),

final as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        paying_customers,
        revenue,
        arpa,
        gross_margin,
        {{ expected_lifetime_periods('trailing_churn_rate_pct') }} as expected_lifetime_periods,
        {{ cltv('arpa', 'gross_margin', 'trailing_churn_rate_pct') }} as cltv,
        trailing_churn_rate_pct,
        {{ is_lifetime_unbounded('trailing_churn_rate_pct') }} as is_lifetime_unbounded,
        is_complete,
        period_end

    from with_rates

)

select * from final
