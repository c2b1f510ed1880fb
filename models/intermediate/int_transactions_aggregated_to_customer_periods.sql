{#-
    Net revenue per customer per period (refunds subtract), up to the end of as_of_date.
    A customer pays in a period when their net revenue in it is positive.
-#}
{%- set grain = get_period_grain() -%}

with

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

in_window as (

    select
        customer_id,
        amount,
        cast({{ dbt.date_trunc(grain, 'occurred_at') }} as date) as period_start

    from transactions
    where occurred_at < {{ as_of_end_at() }}

),

final as (

    select
        customer_id,
        period_start,
        count(*) as transaction_count,
        cast(sum(amount) as {{ dbt.type_numeric() }}) as revenue,
        sum(amount) > 0 as is_paying

    from in_window
    group by customer_id, period_start

)

select * from final
