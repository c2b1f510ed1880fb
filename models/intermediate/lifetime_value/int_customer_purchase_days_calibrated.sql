{#-
    The BG/NBD backtest's calibration summary (doc block bg_nbd_backtest): per customer whose first
    purchase day is before the holdout (holdout_start_date of int_cltv_settings_resolved), the
    summary of int_customer_purchase_days_summarized as it stood on the holdout's eve, the last
    day the calibration fit sees: frequency = purchase days before the holdout - 1, recency = the
    last of them - the first, T = the holdout's eve - the first, in clv_time_unit; and the purchase
    days in the holdout, all of them repeat purchase days, which the calibration fit predicts.
    Purchase days as in int_customer_purchase_days_aggregated: every day with a transaction up to
    the end of as_of_date, in reporting_timezone, refunds included. That model keeps only each
    customer's first and last day, so the days are counted again here from staging.
-#}
{%- set unit_days = 1 if validated_var('clv_time_unit') == 'day' else 7 -%}

with

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

settings as (

    select * from {{ ref('int_cltv_settings_resolved') }}

),

purchase_days as (

    select distinct
        customer_id,
        cast(occurred_at as date) as purchase_date

    from transactions
    where occurred_at < {{ as_of_end_at() }}

),

split_days as (

    select
        purchase_days.customer_id,
        purchase_days.purchase_date,
        purchase_days.purchase_date >= settings.holdout_start_date as is_in_holdout

    from purchase_days
    cross join settings

),

customer_days as (

    select
        customer_id,
        min(purchase_date) as first_purchase_date,
        max(case when not is_in_holdout then purchase_date end) as last_purchase_date,
        sum(case when is_in_holdout then 0 else 1 end) as calibration_purchase_days,
        sum(case when is_in_holdout then 1 else 0 end) as holdout_purchase_days

    from split_days
    group by customer_id

),

final as (

    select
        customer_days.customer_id,
        customer_days.first_purchase_date,
        customer_days.last_purchase_date,
        cast(customer_days.calibration_purchase_days - 1 as {{ dbt.type_bigint() }}) as frequency,
        -- dbt.datediff renders as one long line on DuckDB
        cast({{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }} as {{ type_double() }})  -- noqa: LT05
        / {{ unit_days }} as recency,
        -- to the holdout's eve, the last day seen
        cast({{ dbt.datediff('first_purchase_date', 'holdout_start_date', 'day') }} - 1 as {{ type_double() }})  -- noqa: LT05
        / {{ unit_days }} as t,
        cast(customer_days.holdout_purchase_days as {{ dbt.type_bigint() }}) as holdout_purchases,
        settings.holdout_length,
        settings.time_unit,
        settings.holdout_start_date,
        settings.as_of_date

    from customer_days
    cross join settings
    -- customers who had bought before the holdout; the others are unknown to the calibration fit
    where customer_days.calibration_purchase_days > 0

)

select * from final
