with

source as (

    select * from {{ raw_table('subscriptions') }}

),

renamed as (

    select
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('customer_id') }} as customer_id,
        coalesce({{ clean_text('plan') }}, 'unknown') as plan,
        {{ parse_number('mrr') }} as mrr,
        {{ parse_timestamp('started_at') }} as started_at,
        {{ parse_timestamp('ended_at') }} as ended_at

    from source

)

select * from renamed
