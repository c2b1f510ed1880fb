{#-
    Forward-looking value per customer (int_customer_lifetime_values_predicted, a dbt Python
    model), next to the recency-frequency summary it is predicted from, typed and stamped with
    the time unit, horizon and as_of_date.
-#}

with

predicted as (

    select * from {{ ref('int_customer_lifetime_values_predicted') }}

),

summaries as (

    select * from {{ ref('int_customer_purchase_days_summarized') }}

),

settings as (

    select * from {{ ref('int_cltv_settings_resolved') }}

),

final as (

    select
        cast(predicted.customer_id as {{ dbt.type_string() }}) as customer_id,
        summaries.frequency,
        summaries.recency,
        summaries.t,
        summaries.monetary_value,
        cast(predicted.probability_alive as {{ type_double() }}) as probability_alive,
        cast(predicted.expected_purchases as {{ type_double() }}) as expected_purchases,
        cast(predicted.expected_average_spend as {{ type_double() }}) as expected_average_spend,
        cast(predicted.predicted_clv as {{ type_double() }}) as predicted_clv,
        settings.time_unit,
        settings.horizon_periods,
        settings.as_of_date

    from predicted
    inner join summaries
        on predicted.customer_id = summaries.customer_id
    cross join settings

)

select * from final
