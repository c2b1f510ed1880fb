{#-
    The fitted predictive CLV models (int_cltv_models_fitted, a dbt Python model: the fits on all
    the data), typed and stamped with their time unit and as_of_date.
-#}

with

fitted as (

    select * from {{ ref('int_cltv_models_fitted') }}
    where fit_window = 'full'

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
        cast(fitted.converged as boolean) as converged,
        cast(fitted.message as {{ dbt.type_string() }}) as message,
        settings.as_of_date

    from fitted
    cross join settings

)

select * from final
