{#-
    One row per customer x local day up to as_of_date on which they did at least one event (doc
    block event_activity), with the day's event count, for the customers staging kept: what the
    lifecycle, stickiness and frequency marts count users from.
-#}

with

event_days as (

    select * from {{ ref('int_customer_event_days_aggregated') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

final as (

    select
        event_days.customer_id,
        event_days.activity_date,
        cast(sum(event_days.events) as {{ dbt.type_bigint() }}) as events

    from event_days
    inner join customers
        on event_days.customer_id = customers.customer_id
    where event_days.activity_date <= cast('{{ validated_var('as_of_date') }}' as date)
    group by
        event_days.customer_id,
        event_days.activity_date

)

select * from final
