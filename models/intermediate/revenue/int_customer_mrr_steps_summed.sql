{#-
    Each customer's MRR as a step function of time: one row per span [span_started_at,
    span_ended_at) between two consecutive subscription events (a start or an end) during which
    at least one subscription runs, with the MRR summed over the subscriptions active in it and
    the customer's plan in it: the plan of the active subscription with the highest mrr (ties:
    the latest started, then the highest subscription_id). Gaps with no active subscription have
    no row. Subscriptions are read through subscriptions_in_window, as int_customer_active_spells_merged
    reads them: a start at or after the end of as_of_date has not happened yet, nor has an end
    (span_ended_at is null while the last span runs).
-#}

with

subscriptions as (

    select * from {{ ref('stg_raw__subscriptions') }}

),

in_window as (

    {{ subscriptions_in_window('subscriptions') }}

),

events as (

    select
        customer_id,
        started_at as event_at
    from in_window

    union

    select
        customer_id,
        ended_at as event_at
    from in_window
    where ended_at is not null

),

spans as (

    select
        customer_id,
        event_at as span_started_at,
        lead(event_at) over (partition by customer_id order by event_at) as span_ended_at

    from events

),

active_subscriptions as (

    -- the subscriptions running throughout each span: no event falls strictly inside a span
    select
        spans.customer_id,
        spans.span_started_at,
        spans.span_ended_at,
        in_window.plan,
        in_window.mrr,
        row_number() over (
            partition by spans.customer_id, spans.span_started_at
            order by in_window.mrr desc, in_window.started_at desc, in_window.subscription_id desc
        ) as plan_rank

    from spans
    inner join in_window
        on
            spans.customer_id = in_window.customer_id
            and spans.span_started_at >= in_window.started_at
            and (in_window.ended_at is null or spans.span_started_at < in_window.ended_at)

),

final as (

    select
        customer_id,
        span_started_at,
        span_ended_at,
        cast(sum(mrr) as {{ dbt.type_numeric() }}) as mrr,
        max(case when plan_rank = 1 then plan end) as plan,
        count(*) as active_subscriptions

    from active_subscriptions
    group by customer_id, span_started_at, span_ended_at

)

select * from final
