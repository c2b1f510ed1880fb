{#-
    The one NPS response that counts per customer per period: the latest by responded_at; at the
    same instant, the highest response_id (compared as a number when it is one, so '10' beats
    '9', else as text). Responses after the end of as_of_date are ignored.
-#}
{%- set grain = get_period_grain() -%}

with

survey_responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

in_window as (

    select
        *,
        cast({{ dbt.date_trunc(grain, 'responded_at') }} as date) as period_start

    from survey_responses
    where responded_at < {{ as_of_end_at() }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id, period_start
            order by {{ latest_response_first() }}
        ) as recency_rank

    from in_window

),

final as (

    select
        response_id,
        customer_id,
        period_start,
        score,
        {{ nps_category('score') }} as nps_category,
        responded_at

    from ranked
    where recency_rank = 1

)

select * from final
