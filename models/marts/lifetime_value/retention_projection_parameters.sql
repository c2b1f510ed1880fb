{#-
    The fitted shifted-beta-geometric retention models (int_cltv_retention_projections_fitted, a
    dbt Python model), one row per grain and segment (the fits on all the data), typed, with
    their backtest's headline error and as_of_date.
-#}

with

fitted as (

    select * from {{ ref('int_cltv_retention_projections_fitted') }}
    where fit_window = 'full'

),

backtests as (

    select * from {{ ref('int_cltv_retention_backtests_compared') }}

),

-- the backtest's weighted absolute percentage error over the holdout periods
backtest_errors as (

    select
        period_grain,
        segment_type,
        segment_value,
        {{ percentage('sum(abs(projected_survivors - actual_survivors))', 'sum(actual_survivors)') }}
            as backtest_error_pct

    from backtests
    group by
        period_grain,
        segment_type,
        segment_value

),

settings as (

    select * from {{ ref('int_cltv_settings_resolved') }}

),

final as (

    select
        cast(fitted.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(fitted.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(fitted.segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(fitted.alpha as {{ type_double() }}) as alpha,
        cast(fitted.beta as {{ type_double() }}) as beta,
        cast(fitted.cohorts_fitted as {{ dbt.type_bigint() }}) as cohorts_fitted,
        cast(fitted.customers_fitted as {{ dbt.type_bigint() }}) as customers_fitted,
        cast(fitted.log_likelihood as {{ type_double() }}) as log_likelihood,
        cast(fitted.converged as boolean) as converged,
        cast(fitted.reason as {{ dbt.type_string() }}) as reason,
        cast(fitted.discount_rate_per_period as {{ type_double() }}) as discount_rate_per_period,
        cast(fitted.discounted_expected_lifetime as {{ type_double() }}) as discounted_expected_lifetime,
        -- beside a fit on all the data only: a row without alpha and beta has no projection to judge
        case when fitted.converged then backtest_errors.backtest_error_pct end as backtest_error_pct,
        cast(fitted.months_per_period as {{ type_double() }}) as months_per_period,
        settings.as_of_date

    from fitted
    left join backtest_errors
        on
            fitted.period_grain = backtest_errors.period_grain
            and fitted.segment_type = backtest_errors.segment_type
            and fitted.segment_value = backtest_errors.segment_value
    cross join settings

)

select * from final
