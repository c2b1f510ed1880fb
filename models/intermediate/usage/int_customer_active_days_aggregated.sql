{#-
    One row per customer x local day on which they did at least one event (doc block
    event_activity), with the day's event count: what the lifecycle, stickiness and frequency
    marts count users from.
-#}

with

event_days as (

    select * from {{ ref('int_customer_event_days_aggregated') }}

),

final as (

    select
        customer_id,
        activity_date,
        cast(sum(events) as {{ dbt.type_bigint() }}) as events

    from event_days
    group by
        customer_id,
        activity_date

)

select * from final
