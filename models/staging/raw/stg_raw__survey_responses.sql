with

survey_responses as (

    select * from {{ ref('base_raw__survey_responses') }}

),

final as (

    select
        response_id,
        customer_id,
        score,
        response_comment,
        responded_at

    from survey_responses
    where rejection_reason is null

)

select * from final
