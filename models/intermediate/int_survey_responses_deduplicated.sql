{#-
    The one NPS response that counts per customer per period, at each grain of period_grains:
    the latest by responded_at; at the same instant, the highest response_id (compared as a
    number when it is one, so '10' beats '9', else as text). Responses after the end of
    as_of_date are ignored.
-#}

with

survey_responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

-- every period, or on an incremental run the lookback window's (incremental_window)
periods_in_run as (

    {{ periods_to_build('periods') }}

),

in_window as (

    select * from survey_responses
    where
        responded_at < {{ as_of_end_at() }}
        and responded_at >= (select cast(min(periods_in_run.period_start) as timestamp) from periods_in_run)

),

assigned_to_periods as (

    {% for grain in get_period_grains() %}
    select
        *,
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'responded_at') }} as date) as period_start
    from in_window
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

in_run as (

    select assigned_to_periods.*
    from assigned_to_periods
    inner join periods_in_run
        on
            assigned_to_periods.period_grain = periods_in_run.period_grain
            and assigned_to_periods.period_start = periods_in_run.period_start

),

ranked as (

    select
        *,
        row_number() over (
            partition by period_grain, customer_id, period_start
            order by {{ latest_response_first() }}
        ) as recency_rank

    from in_run

),

final as (

    select
        response_id,
        customer_id,
        period_grain,
        period_start,
        score,
        {{ nps_category('score') }} as nps_category,
        responded_at

    from ranked
    where recency_rank = 1

)

select * from final
