with

source as (

    select * from {{ raw_table('customers') }}

),

renamed as (

    select
        {{ clean_text('customer_id') }} as customer_id,
        coalesce({{ clean_text('country') }}, 'unknown') as country,
        coalesce({{ clean_text('acquisition_channel') }}, 'unknown') as acquisition_channel,
        {{ parse_timestamp('created_at') }} as created_at

    from source

)

select * from renamed
