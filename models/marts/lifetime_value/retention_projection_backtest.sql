{#-
    The backtest of the sBG retention model (int_cltv_retention_backtests_compared, doc block
    sbg_backtest): per grain, segment and holdout period, the survivors the model fitted before
    the holdout projected, against those observed.
-#}

with

compared as (

    select * from {{ ref('int_cltv_retention_backtests_compared') }}

),

settings as (

    select * from {{ ref('int_cltv_settings_resolved') }}

),

final as (

    select
        cast(compared.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(compared.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(compared.segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(compared.holdout_period as {{ dbt.type_int() }}) as holdout_period,
        cast(compared.cohorts as {{ dbt.type_bigint() }}) as cohorts,
        cast(compared.customers_at_risk as {{ dbt.type_bigint() }}) as customers_at_risk,
        cast(compared.actual_survivors as {{ dbt.type_bigint() }}) as actual_survivors,
        cast(compared.projected_survivors as {{ type_double() }}) as projected_survivors,
        {{ percentage('compared.projected_survivors - compared.actual_survivors', 'compared.actual_survivors') }}
            as error_pct,
        settings.holdout_periods,
        settings.as_of_date

    from compared
    cross join settings

)

select * from final
