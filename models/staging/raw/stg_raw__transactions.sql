with

source as (

    select * from {{ raw_table('transactions') }}

),

renamed as (

    select
        {{ clean_text('transaction_id') }} as transaction_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ parse_number('amount') }} as amount,
        {{ parse_timestamp('occurred_at') }} as occurred_at

    from source

)

select * from renamed
