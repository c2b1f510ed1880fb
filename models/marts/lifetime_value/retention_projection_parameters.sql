{#-
    The fitted shifted-beta-geometric retention models (int_cltv_retention_projections_fitted, a
    dbt Python model), one row per grain and segment, typed and stamped with as_of_date.
-#}

with

fitted as (

    select * from {{ ref('int_cltv_retention_projections_fitted') }}

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
        settings.as_of_date

    from fitted
    cross join settings

)

select * from final
