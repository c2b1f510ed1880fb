{#-
    The members of every event retention cohort: one row per report x cohort grain x window x
    member (doc blocks event_cohort and event_window_type). A first_time report puts each user in
    the cohort of their first start event; a recurring report puts them in one cohort for every
    period in which they did a start event. start_at is that (first) start event's instant.
    last_return_age is the age of the member's last return event (any age, up to as_of_date), from
    which "on or after" retention is counted: a member is retained on or after age k when
    last_return_age >= k. Ages are calendar periods since cohort_start, or whole rolling windows
    (24 hours for day, 7 x 24 hours for week) since start_at; null when no return event follows
    the start (rolling) or the member never returned.
-#}
{%- set reports = validated_var('event_retention_reports') -%}
{%- set grains = validated_var('event_retention_grains') -%}
{%- set windows = validated_var('event_retention_windows') -%}
{%- set window_days = {'day': 1, 'week': 7} -%}

with

event_days as (

    select * from {{ ref('int_customer_event_days_aggregated') }}

),

{% for report in reports %}
-- report {{ report.name }}: its start events per customer and day, and each customer's last return
report_{{ report.name }}_start_days as (

    select
        customer_id,
        activity_date,
        min(first_occurred_at) as first_occurred_at

    from event_days
    where
        {{ event_name_filter(report.start_events) }}
        and activity_date <= cast('{{ validated_var('as_of_date') }}' as date)
    group by customer_id, activity_date

),

report_{{ report.name }}_last_returns as (

    select
        customer_id,
        max(last_occurred_at) as last_return_at

    from event_days
    where
        {{ event_name_filter(report.return_events) }}
        and activity_date <= cast('{{ validated_var('as_of_date') }}' as date)
    group by customer_id

),

{% for grain in grains %}
report_{{ report.name }}_{{ grain }}_starts as (

    select
        customer_id,
        min(first_occurred_at) as start_at

    from report_{{ report.name }}_start_days
    {%- if report.cohort == 'first_time' %}
    group by customer_id
    {%- else %}
    group by customer_id, {{ dbt.date_trunc(grain, 'activity_date') }}
    {%- endif %}

),

{% endfor %}
{% endfor %}
members as (

    {% for report in reports %}
    {% for grain in grains %}
    select
        '{{ report.name }}' as report_name,
        '{{ grain }}' as cohort_grain,
        '{{ report.cohort }}' as cohort_type,
        report_starts.customer_id,
        cast({{ dbt.date_trunc(grain, 'report_starts.start_at') }} as date) as cohort_start,
        report_starts.start_at,
        last_returns.last_return_at

    from report_{{ report.name }}_{{ grain }}_starts as report_starts
    left join report_{{ report.name }}_last_returns as last_returns
        on report_starts.customer_id = last_returns.customer_id
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    {% for window in windows %}
    select
        report_name,
        cohort_grain,
        cohort_type,
        '{{ window }}' as window_type,
        customer_id,
        cohort_start,
        start_at,
        last_return_at,
        {%- if window == 'calendar' %}
        case
            {%- for grain in grains %}
            when cohort_grain = '{{ grain }}'
                then {{ dbt.datediff('cohort_start', 'cast(' ~ dbt.date_trunc(grain, 'last_return_at') ~ ' as date)', grain) }}  -- noqa: LT05
            {%- endfor %}
        end as last_return_age
        {%- else %}
        case
            when last_return_at >= start_at
                then cast(floor(
                    {{ elapsed_whole_days('start_at', 'last_return_at') }}
                    / (case cohort_grain when 'week' then {{ window_days['week'] }}.0 else {{ window_days['day'] }}.0 end)
                ) as {{ dbt.type_int() }})
        end as last_return_age
        {%- endif %}

    from members
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
