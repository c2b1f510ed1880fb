{#-
    The one NPS response that counts per customer per period, at each grain of period_grains:
    the latest by responded_at; at the same instant, the highest response_id (compared as a
    number when it is one, so '10' beats '9', else as text). Responses after the end of
    as_of_date are ignored. An incremental run rebuilds the lookback window's periods only.
-#}
-- depends_on: {{ ref('int_periods_spined') }}

with

survey_responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

{% if is_incremental() %}
periods as (

    select * from {{ ref('int_periods_spined') }}

),

-- the periods of the lookback window (incremental_window)
periods_in_run as (

    {{ periods_to_build('periods') }}

),

{% endif %}
in_window as (

    select * from survey_responses
    where responded_at < {{ as_of_end_at() }}

),

assigned_to_periods as (

    {% for grain in validated_var('period_grains') %}
    select
        *,
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'responded_at') }} as date) as period_start
    from in_window
    {% if is_incremental() %}
    -- every grain's window starts on or after the earliest one
    where responded_at >= (select cast(min(periods_in_run.period_start) as timestamp) from periods_in_run)
    {% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ranked as (

    select
        assigned_to_periods.*,
        row_number() over (
            partition by
                assigned_to_periods.period_grain,
                assigned_to_periods.customer_id,
                assigned_to_periods.period_start
            order by {{ latest_response_first() }}
        ) as recency_rank

    from assigned_to_periods
    {% if is_incremental() %}
    inner join periods_in_run
        on
            assigned_to_periods.period_grain = periods_in_run.period_grain
            and assigned_to_periods.period_start = periods_in_run.period_start
    {% endif %}

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
