{#-
    Subscription mode's view of activity: each customer's subscriptions merged into spells, the
    maximal intervals [spell_started_at, spell_ended_at) during which at least one subscription
    runs. Overlapping subscriptions merge, and so do back-to-back ones (an upgrade that ends one
    subscription at the instant the next starts), so neither is ever seen as churn.
    Events at or after the end of as_of_date are ignored: a subscription starting then does not
    exist yet, and one ending then is still running (spell_ended_at is null while open).
-#}
{%- set as_of_end = as_of_end_at() -%}
{%- set open_end = "cast('9999-12-31' as timestamp)" -%}

with

subscriptions as (

    select * from {{ ref('stg_raw__subscriptions') }}

),

in_window as (

    select
        customer_id,
        subscription_id,
        started_at,
        case when ended_at < {{ as_of_end }} then ended_at else {{ open_end }} end as ended_at

    from subscriptions
    where
        started_at < {{ as_of_end }}
        -- a subscription that ends when it starts is never active at any instant
        and (ended_at is null or ended_at > started_at)

),

with_previous_reach as (

    select
        *,
        max(ended_at) over (
            partition by customer_id
            order by started_at, ended_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as previous_reach_at

    from in_window

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
