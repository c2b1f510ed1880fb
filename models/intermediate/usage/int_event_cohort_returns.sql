{#-
    The ages at which each event cohort member returned: one row per report x cohort grain x
    window x member x age k >= 1 at which they did a return event (doc blocks event_cohort and
    event_window_type), up to the largest age any event mart reports at that grain (the larger of
    event_retention_max_periods and the last bracket's end). Age 0 is not listed: every member
    counts as retained there.
    Calendar: k = calendar periods from cohort_start to the return day's period.
    Rolling: k = whole windows (1 or 7 days of 24 hours, on wall-clock time in
    reporting_timezone) from start_at. A day d that is j days after start_at's date holds the
    rolling day j - 1 until start_at's time of day and day j from then on, so the day's first and
    last return events tell which of the two it has events in.
-#}
{%- set reports = validated_var('event_retention_reports') -%}
{%- set grains = validated_var('event_retention_grains') -%}
{%- set max_periods = validated_var('event_retention_max_periods') -%}
{%- set brackets = validated_var('event_retention_brackets') -%}
{#- the largest age needed at each grain -#}
{%- set max_age = {} -%}
{%- for grain in grains -%}
{%- do max_age.update({grain: ([max_periods[grain]] + (brackets[grain] | map('last') | list)) | max}) -%}
{%- endfor -%}

with

event_days as (

    select * from {{ ref('int_customer_event_days_aggregated') }}

),

members as (

    select * from {{ ref('int_event_cohort_members') }}

),

{% for report in reports %}
report_{{ report.name }}_return_days as (

    select
        customer_id,
        activity_date,
        min(first_occurred_at) as first_occurred_at,
        max(last_occurred_at) as last_occurred_at

    from event_days
    where
        {{ event_name_filter(report.return_events) }}
        and activity_date <= cast('{{ validated_var('as_of_date') }}' as date)
    group by customer_id, activity_date

),

{% endfor %}
-- each member's return days from their cohort's start, with j = days since start_at's date and
-- the instant that splits the day into rolling windows (start_at's time of day, j days later)
member_return_days as (

    {% for report in reports %}
    select
        members.report_name,
        members.cohort_grain,
        members.window_type,
        members.customer_id,
        members.cohort_start,
        return_days.activity_date,
        return_days.first_occurred_at,
        return_days.last_occurred_at,
        cast(case members.cohort_grain when 'week' then 7 else 1 end as {{ type_double() }}) as window_days,
        {{ dbt.datediff('cast(members.start_at as date)', 'return_days.activity_date', 'day') }} as days_since_start,  -- noqa: LT05
        {{ dbt.dateadd(
            'day',
            dbt.datediff('cast(members.start_at as date)', 'return_days.activity_date', 'day'),
            'members.start_at',
        ) }} as window_split_at

    from members
    inner join report_{{ report.name }}_return_days as return_days
        on
            members.customer_id = return_days.customer_id
            and members.cohort_start <= return_days.activity_date
    where
        members.report_name = '{{ report.name }}'
        and (
            {%- for grain in grains %}
            (
                members.cohort_grain = '{{ grain }}'
                and return_days.activity_date
                < {{ dbt.dateadd(grain, max_age[grain] + 2, 'members.cohort_start') }}
            ){{ ' or' if not loop.last }}
            {%- endfor %}
        )
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

return_ages as (

    -- calendar: the return day's period, counted from the cohort's
    select
        report_name,
        cohort_grain,
        window_type,
        customer_id,
        cohort_start,
        case
            {%- for grain in grains %}
            when cohort_grain = '{{ grain }}'
                then {{ dbt.datediff('cohort_start', 'cast(' ~ dbt.date_trunc(grain, 'activity_date') ~ ' as date)', grain) }}  -- noqa: LT05
            {%- endfor %}
        end as period_number

    from member_return_days
    where window_type = 'calendar'

    union all

    -- rolling: the part of the day from start_at's time of day on is in window day j
    select
        report_name,
        cohort_grain,
        window_type,
        customer_id,
        cohort_start,
        cast(floor(days_since_start / window_days) as {{ dbt.type_int() }}) as period_number

    from member_return_days
    where
        window_type = 'rolling'
        and days_since_start >= 0
        and last_occurred_at >= window_split_at

    union all

    -- rolling: the part of the day before start_at's time of day is in window day j - 1
    select
        report_name,
        cohort_grain,
        window_type,
        customer_id,
        cohort_start,
        cast(floor((days_since_start - 1) / window_days) as {{ dbt.type_int() }}) as period_number

    from member_return_days
    where
        window_type = 'rolling'
        and days_since_start >= 1
        and first_occurred_at < window_split_at

),

final as (

    select distinct
        report_name,
        cohort_grain,
        window_type,
        customer_id,
        cohort_start,
        cast(period_number as {{ dbt.type_int() }}) as period_number

    from return_ages
    where
        period_number >= 1
        and (
            {%- for grain in grains %}
            (cohort_grain = '{{ grain }}' and period_number <= {{ max_age[grain] }}){{ ' or' if not loop.last }}
            {%- endfor %}
        )

)

select * from final
