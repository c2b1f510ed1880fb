{#-
    Deprecated: the old name of cltv_model_parameters, kept for one release so that BI queries
    and dashboards keep working. Read cltv_model_parameters instead.
-#}

with

cltv_model_parameters as (

    select * from {{ ref('cltv_model_parameters') }}

),

final as (

    select
        model,  -- noqa: RF04
        parameter,
        value,  -- noqa: RF04
        time_unit,
        log_likelihood,
        customers_fitted,
        customers_excluded,
        converged,
        message,
        as_of_date

    from cltv_model_parameters

)

select * from final
