{#-
    The per-customer summary the BG/NBD and Gamma-Gamma models fit (Fader, Hardie & Lee 2005):
    transactions up to the end of as_of_date, merged into purchase days (every day with at least
    one transaction, refunds netted into the day's value), then per customer, in clv_time_unit:
    frequency = purchase days - 1 (the repeat purchase days), recency = last - first purchase
    day, T = as_of_date - first purchase day, and monetary_value = the mean value of the repeat
    purchase days (the first day left out; null without repeats).
-#}
{%- set settings = get_clv_settings() -%}

with

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

purchase_days as (

    select
        customer_id,
        cast(occurred_at as date) as purchase_date,
        sum(amount) as day_amount

    from transactions
    where occurred_at < {{ as_of_end_at() }}
    group by customer_id, cast(occurred_at as date)

),

customer_days as (

    select
        customer_id,
        cast('{{ get_as_of_date() }}' as date) as as_of_date,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        count(*) as purchase_days,
        sum(day_amount) as total_amount

    from purchase_days
    group by customer_id

),

first_days as (

    select
        customer_days.*,
        purchase_days.day_amount as first_day_amount

    from customer_days
    inner join purchase_days
        on
            customer_days.customer_id = purchase_days.customer_id
            and customer_days.first_purchase_date = purchase_days.purchase_date

),

final as (

    select
        customer_id,
        first_purchase_date,
        last_purchase_date,
        cast(purchase_days - 1 as {{ dbt.type_bigint() }}) as frequency,
        -- dbt.datediff renders as one long line on DuckDB
        cast({{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }} as {{ type_double() }})  -- noqa: LT05
        / {{ settings.unit_days }} as recency,
        cast({{ dbt.datediff('first_purchase_date', 'as_of_date', 'day') }} as {{ type_double() }})  -- noqa: LT05
        / {{ settings.unit_days }} as t,
        -- the repeat days' value: every day's but the first (null without repeats)
        {{ safe_divide('total_amount - first_day_amount', 'purchase_days - 1') }} as monetary_value,
        '{{ settings.time_unit }}' as time_unit,
        as_of_date

    from first_days

)

select * from final
