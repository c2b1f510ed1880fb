{#-
    One row per customer x local day x event name: how many events, and the first and last
    instant (wall-clock time in reporting_timezone). This is all the event marts need of the
    events: a user is active on a day when they have a row; a rolling window that starts at a
    time of day t splits a day at t, and whether the day has an event before t (first_occurred_at)
    or at or after it (last_occurred_at) tells which windows it falls in (int_event_cohort_returns).
    Events after as_of_date are ignored.
-#}

with

events as (

    select * from {{ ref('stg_raw__events') }}

),

final as (

    select
        customer_id,
        cast(occurred_at as date) as activity_date,
        event_name,
        cast(count(*) as {{ dbt.type_bigint() }}) as events,
        min(occurred_at) as first_occurred_at,
        max(occurred_at) as last_occurred_at

    from events
    where occurred_at < {{ as_of_end_at() }}
    group by
        customer_id,
        cast(occurred_at as date),
        event_name

)

select * from final
