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
