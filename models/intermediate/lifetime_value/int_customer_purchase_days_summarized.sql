{#-
    The per-customer summary the BG/NBD and Gamma-Gamma models fit (Fader, Hardie & Lee 2005),
    from the purchase days per customer (int_customer_purchase_days_aggregated: transactions up to
    the end of as_of_date, merged into days), in clv_time_unit: frequency = purchase days - 1 (the
    repeat purchase days), recency = last - first purchase day, T = as_of_date - first purchase
    day, and monetary_value = the mean value of the repeat purchase days (the first day left out;
    null without repeats). A view: T moves with as_of_date for every customer, so it is not stored.
-#}
{%- set time_unit = validated_var('clv_time_unit') -%}
{%- set unit_days = 1 if time_unit == 'day' else 7 -%}

with

purchase_days as (

    select * from {{ ref('int_customer_purchase_days_aggregated') }}

),

customer_days as (

    select
        *,
        cast('{{ validated_var('as_of_date') }}' as date) as as_of_date

    from purchase_days

),

final as (

    select
        customer_id,
        first_purchase_date,
        last_purchase_date,
        cast(purchase_days - 1 as {{ dbt.type_bigint() }}) as frequency,
        -- dbt.datediff renders as one long line on DuckDB
        cast({{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }} as {{ type_double() }})  -- noqa: LT05
        / {{ unit_days }} as recency,
        cast({{ dbt.datediff('first_purchase_date', 'as_of_date', 'day') }} as {{ type_double() }})  -- noqa: LT05
        / {{ unit_days }} as t,
        -- the repeat days' value: every day's but the first (null without repeats)
        {{ safe_divide('total_amount - first_day_amount', 'purchase_days - 1') }} as monetary_value,
        '{{ time_unit }}' as time_unit,
        as_of_date

    from customer_days

)

select * from final
