{#-
    Subscription mode's view of activity: each customer's subscriptions merged into spells, the
    maximal intervals [spell_started_at, spell_ended_at) during which at least one subscription
    runs. Overlapping subscriptions merge, and so do back-to-back ones (an upgrade that ends one
    subscription at the instant the next starts), so neither is ever seen as churn.
    Events at or after the end of as_of_date are ignored: a subscription starting then does not
    exist yet, and one ending then is still running (spell_ended_at is null while open).
-#}
{%- set open_end = "cast('9999-12-31' as timestamp)" -%}

with

subscriptions as (

    select * from {{ ref('stg_raw__subscriptions') }}

),

in_window as (

    {{ subscriptions_in_window('subscriptions') }}

),

-- an open end as a far-future instant, so the running max below sees it as the latest reach
open_ended as (

    select
        customer_id,
        subscription_id,
        started_at,
        coalesce(ended_at, {{ open_end }}) as ended_at

    from in_window

),

with_previous_reach as (

    select
        *,
        max(ended_at) over (
            partition by customer_id
            order by started_at, ended_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as previous_reach_at

    from open_ended

),

flagged as (

    select
        *,
        case
            when previous_reach_at is null or started_at > previous_reach_at then 1 else 0
        end as is_spell_start

    from with_previous_reach

),

numbered as (

    select
        *,
        sum(is_spell_start) over (
            partition by customer_id
            order by started_at, ended_at, subscription_id
            rows between unbounded preceding and current row
        ) as spell_number

    from flagged

),

final as (

    select
        customer_id,
        spell_number,
        count(*) as subscriptions,
        min(started_at) as spell_started_at,
        nullif(max(ended_at), {{ open_end }}) as spell_ended_at

    from numbered
    group by customer_id, spell_number

)

select * from final
