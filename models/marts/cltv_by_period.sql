{%- set window_periods = get_cltv_churn_window_periods() -%}

with

revenue as (

    select * from {{ ref('int_transactions_aggregated_to_segments') }}

),

retention_counts as (

    select * from {{ ref('int_customer_periods_aggregated_to_segments') }}

),

trailing_churn as (

    select
        period_start,
        segment_type,
        segment_value,
        sum(churned_customers) over trailing_window as trailing_churned_customers,
        sum(customers_at_start) over trailing_window as trailing_customers_at_start

    from retention_counts
    window trailing_window as (
        partition by segment_type, segment_value
        order by period_start
        rows between {{ window_periods - 1 }} preceding and current row
    )

),

with_rates as (

    select
        revenue.period_grain,
        revenue.period_start,
        revenue.segment_type,
        revenue.segment_value,
        revenue.paying_customers,
        revenue.revenue,
        {{ arpa('revenue.revenue', 'revenue.paying_customers') }} as arpa,
        {{ churn_rate(
            'trailing_churn.trailing_churned_customers',
            'trailing_churn.trailing_customers_at_start'
        ) }} as trailing_churn_rate_pct,
        cast({{ get_gross_margin() }} as {{ type_double() }}) as gross_margin,
        revenue.is_complete,
        revenue.period_end

    from revenue
    inner join trailing_churn
        on
            revenue.period_start = trailing_churn.period_start
            and revenue.segment_type = trailing_churn.segment_type
            and revenue.segment_value = trailing_churn.segment_value

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
        coalesce(trailing_churn_rate_pct = 0, false) as is_lifetime_unbounded,
        is_complete,
        period_end

    from with_rates

)

select * from final
