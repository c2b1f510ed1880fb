with

customers as (

    select * from {{ ref('base_raw__customers') }}

),

final as (

    select
        customer_id,
        country,
        acquisition_channel,
        created_at,
        email_hash

    from customers
    where rejection_reason is null

)

select * from final
