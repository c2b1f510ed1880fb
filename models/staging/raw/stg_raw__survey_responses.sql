with

source as (

    select * from {{ raw_table('survey_responses') }}

),

renamed as (

    select
        {{ clean_text('response_id') }} as response_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ parse_whole_number('score') }} as score,
        {{ clean_text('comment') }} as response_comment,
        {{ parse_timestamp('responded_at') }} as responded_at

    from source

)

select * from renamed
