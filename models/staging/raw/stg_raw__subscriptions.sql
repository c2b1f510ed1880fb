with

subscriptions as (

    select * from {{ ref('base_raw__subscriptions') }}

),

final as (

    select
        subscription_id,
        customer_id,
        plan,
        mrr,
        started_at,
        ended_at

    from subscriptions
    where rejection_reason is null

)

select * from final
