{#-
    What each active subscriber is still worth (int_customer_subscriber_values_predicted, a dbt
    Python model, doc block sbg_subscriber_value), next to the tenure and MRR it is computed from,
    typed and stamped with the gross margin and as_of_date.
-#}

with

predicted as (

    select * from {{ ref('int_customer_subscriber_values_predicted') }}

),

tenures as (

    select * from {{ ref('int_cltv_subscriber_tenures_counted') }}

),

settings as (

    select * from {{ ref('int_cltv_settings_resolved') }}

),

final as (

    select
        cast(predicted.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(predicted.period_grain as {{ dbt.type_string() }}) as period_grain,
        tenures.spell_started_at,
        cast(tenures.tenure_periods as {{ dbt.type_int() }}) as tenure_periods,
        cast(tenures.current_mrr as {{ dbt.type_numeric() }}) as current_mrr,
        cast(predicted.alpha as {{ type_double() }}) as alpha,
        cast(predicted.beta as {{ type_double() }}) as beta,
        cast(predicted.discount_rate_per_period as {{ type_double() }}) as discount_rate_per_period,
        cast(predicted.discounted_expected_remaining_payments as {{ type_double() }})
            as discounted_expected_remaining_payments,
        cast(predicted.expected_remaining_periods as {{ type_double() }}) as expected_remaining_periods,
        cast(predicted.residual_value as {{ type_double() }}) as residual_value,
        settings.gross_margin,
        settings.as_of_date

    from predicted
    inner join tenures
        on
            predicted.customer_id = tenures.customer_id
            and predicted.period_grain = tenures.period_grain
    cross join settings

)

select * from final
