{#-
    depends_on base_raw__malformed_lines: the test rejected_share_within_limit on this model counts
    the source's malformed CSV lines too, and dbt build skips the models downstream of a failed
    test only when they descend from every model the test reads.
-#}
-- depends_on: {{ ref('base_raw__malformed_lines') }}
with

events as (

    select * from {{ ref('base_raw__events') }}

),

final as (

    select
        event_id,
        customer_id,
        event_name,
        occurred_at

    from events
    where rejection_reason is null

)

select * from final
