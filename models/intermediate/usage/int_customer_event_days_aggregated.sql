{#-
    One row per customer x local day x event name: how many events, and the first and last
    instant (wall-clock time in reporting_timezone). This is all the event marts need of the
    events: a user is active on a day when they have a row; a rolling window that starts at a
    time of day t splits a day at t, and whether the day has an event before t (first_occurred_at)
    or at or after it (last_occurred_at) tells which windows it falls in (int_event_cohort_returns).
    Every event whose own values and key passed staging's checks (base_raw__event_rows), at any
    date: the readers keep the days up to as_of_date and the customers staging kept, so neither
    a later as_of_date nor a change in the customers leaves a stored row stale.
    Incremental (dbt_project.yml): a run adds the events read since its last run to the rows of
    their days, whatever their date (late events too): counts add up, first and last instants are
    the least and greatest.
-#}

with

event_rows as (

    select * from {{ ref('base_raw__event_rows') }}

),

new_events as (

    select
        customer_id,
        cast(occurred_at as date) as activity_date,
        event_name,
        occurred_at,
        ingested_at

    from event_rows
    where row_rejection_reason is null
    {% if is_incremental() %}
        and ingested_at > (
            select coalesce(max(last_ingested_at), cast('1900-01-01' as timestamp))
            from {{ this }}
        )
    {% endif %}

),

new_days as (

    select
        customer_id,
        activity_date,
        event_name,
        count(*) as events,
        min(occurred_at) as first_occurred_at,
        max(occurred_at) as last_occurred_at,
        max(ingested_at) as last_ingested_at

    from new_events
    group by
        customer_id,
        activity_date,
        event_name

),

{% if is_incremental() %}
-- the stored rows of the days the new events fall on, which the new rows replace
combined as (

    select
        new_days.customer_id,
        new_days.activity_date,
        new_days.event_name,
        new_days.events + coalesce(stored.events, 0) as events,
        case
            when stored.first_occurred_at < new_days.first_occurred_at then stored.first_occurred_at
            else new_days.first_occurred_at
        end as first_occurred_at,
        case
            when stored.last_occurred_at > new_days.last_occurred_at then stored.last_occurred_at
            else new_days.last_occurred_at
        end as last_occurred_at,
        new_days.last_ingested_at

    from new_days
    left join {{ this }} as stored
        on
            new_days.customer_id = stored.customer_id
            and new_days.activity_date = stored.activity_date
            and new_days.event_name = stored.event_name

),

{% else %}
combined as (

    select * from new_days

),

{% endif %}
final as (

    select
        customer_id,
        activity_date,
        event_name,
        cast(events as {{ dbt.type_bigint() }}) as events,
        first_occurred_at,
        last_occurred_at,
        last_ingested_at

    from combined

)

select * from final
