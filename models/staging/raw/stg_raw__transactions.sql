{#-
    depends_on base_raw__malformed_lines: the test rejected_share_within_limit on this model counts
    the source's malformed CSV lines too, and dbt build skips the models downstream of a failed
    test only when they descend from every model the test reads.
-#}
-- depends_on: {{ ref('base_raw__malformed_lines') }}
with

transactions as (

    select * from {{ ref('base_raw__transactions') }}

),

final as (

    select
        transaction_id,
        customer_id,
        amount,
        occurred_at,
        row_hash

    from transactions
    where rejection_reason is null

)

select * from final
