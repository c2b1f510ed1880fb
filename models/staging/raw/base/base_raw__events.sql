{#-
    Every raw product-usage event row with its full verdict, as for the other raw tables:
    rejection_reason is null for the row staging keeps, else the first rule it breaks. The row's
    own values and its key were judged when it was read (base_raw__event_rows); whether its
    customer was kept is judged here, on reading, against the customers of this run, so that an
    appended row's verdict never goes stale when the customers change.
-#}

with

event_rows as (

    select * from {{ ref('base_raw__event_rows') }}

),

customers as (

    select * from {{ ref('base_raw__customers') }}

),

customer_verdicts as (

    select
        customer_id,
        max(case when rejection_reason is null then 1 else 0 end) as has_kept_row

    from customers
    where customer_id is not null
    group by customer_id

),

final as (

    select
        event_rows.event_id,
        event_rows.customer_id,
        event_rows.event_name,
        event_rows.occurred_at,
        event_rows.has_redacted_value,
        case
            when event_rows.row_rejection_reason is not null then event_rows.row_rejection_reason
            when customer_verdicts.customer_id is null then 'orphan_customer'
            when customer_verdicts.has_kept_row = 0 then 'customer_rejected'
        end as rejection_reason,
        case
            when event_rows.row_rejection_reason is not null then event_rows.row_rejected_column
            when customer_verdicts.has_kept_row is null or customer_verdicts.has_kept_row = 0 then 'customer_id'
        end as rejected_column,
        case
            when event_rows.row_rejection_reason is not null then event_rows.raw_values
            when customer_verdicts.has_kept_row is null or customer_verdicts.has_kept_row = 0
                then {{ row_as_json([
                    ['event_id', 'event_rows.event_id'],
                    ['customer_id', 'event_rows.customer_id'],
                    ['event_name', 'event_rows.event_name'],
                    ['occurred_at', 'event_rows.occurred_at'],
                ]) }}
        end as raw_values,
        event_rows.source_file,
        event_rows.source_loaded_at,
        event_rows.ingested_at,
        event_rows.row_hash

    from event_rows
    left join customer_verdicts
        on event_rows.customer_id = customer_verdicts.customer_id

)

select * from final
