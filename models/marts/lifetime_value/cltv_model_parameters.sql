{#-
    The fitted predictive CLV models (int_cltv_models_fitted, a dbt Python model: the fits on all
    the data), typed and stamped with their time unit and as_of_date, with the BG/NBD backtest's
    headline error (doc block bg_nbd_backtest).
-#}

with

fitted as (

    select * from {{ ref('int_cltv_models_fitted') }}
    where fit_window = 'full'

),

predicted as (

    select * from {{ ref('int_customer_holdout_purchases_predicted') }}

),

-- the holdout's purchase days predicted by the fit without it, against those made, all customers
-- together; summed as decimals, so that the result does not depend on the order rows are read in
backtest_totals as (

    select
        'bg_nbd' as model,  -- noqa: RF04
        sum(cast(predicted_purchases as decimal(38, 12))) as predicted_purchases,
        sum(actual_purchases) as actual_purchases

    from predicted
    having count(*) > 0

),

settings as (

    select * from {{ ref('int_cltv_settings_resolved') }}

),

final as (

    select
        cast(fitted.model as {{ dbt.type_string() }}) as model,  -- noqa: RF04
        cast(fitted.parameter as {{ dbt.type_string() }}) as parameter,
        cast(fitted.value as {{ type_double() }}) as value,  -- noqa: RF04
        settings.time_unit,
        cast(fitted.log_likelihood as {{ type_double() }}) as log_likelihood,
        cast(fitted.customers_fitted as {{ dbt.type_bigint() }}) as customers_fitted,
        cast(fitted.customers_excluded as {{ dbt.type_bigint() }}) as customers_excluded,
        -- beside a converged fit on all the data only: a row without a value has nothing to judge
        case
            when fitted.converged
                then {{ percentage('backtest_totals.predicted_purchases - backtest_totals.actual_purchases',
                    'backtest_totals.actual_purchases') }}
        end as backtest_error_pct,
        cast(fitted.converged as boolean) as converged,
        cast(fitted.message as {{ dbt.type_string() }}) as message,
        settings.as_of_date

    from fitted
    left join backtest_totals
        on fitted.model = backtest_totals.model
    cross join settings

)

select * from final
