{#-
    The lifecycle of product users per calendar period (every grain of period_grains) and segment:
    active, new, retained, resurrected and dormant users (doc block event_lifecycle), the
    retention rate from the project's formula and the quick ratio. Periods run from the first
    event's to the one containing as_of_date, for every segment value that has a user with events.
-#}
{%- set grains = validated_var('period_grains') -%}
{%- set as_of_end_date = "cast(" ~ as_of_end_at() ~ " as date)" -%}

with

active_days as (

    select * from {{ ref('int_customer_active_days_aggregated') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

bounds as (

    select
        min(activity_date) as first_date,
        cast('{{ validated_var('as_of_date') }}' as date) as last_date

    from active_days

),

{% for grain in grains %}
{{ grain }}_period_starts as (

    {{ period_starts(grain, 'bounds', 'first_date', 'last_date') }}

),

{% endfor %}
periods as (

    {% for grain in grains %}
    select
        '{{ grain }}' as period_grain,
        period_start,
        cast({{ add_periods(grain, 1, 'period_start') }} as date) as nominal_period_end
    from {{ grain }}_period_starts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

customer_periods as (

    {% for grain in grains %}
    select distinct
        '{{ grain }}' as period_grain,
        customer_id,
        cast({{ dbt.date_trunc(grain, 'activity_date') }} as date) as period_start
    from active_days
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- each user's active periods: the first one is new, one right after an active period retained,
-- any other resurrected
classified as (

    select
        period_grain,
        customer_id,
        period_start,
        period_start = min(period_start) over (partition by period_grain, customer_id) as is_new,
        lag(period_start) over (partition by period_grain, customer_id order by period_start) as previous_active_start

    from customer_periods

),

by_attributes as (

    select
        classified.period_grain,
        classified.period_start,
        {%- for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {%- endfor %}
        count(*) as active_users,
        sum(case when classified.is_new then 1 else 0 end) as new_users,
        sum(case
            {%- for grain in grains %}
            when classified.period_grain = '{{ grain }}'
                and classified.previous_active_start = {{ add_periods(grain, -1, 'classified.period_start') }}
                then 1
            {%- endfor %}
            else 0
        end) as retained_users

    from classified
    inner join customers
        on classified.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        classified.period_grain,
        classified.period_start

),

unpivoted as (

    {{ unpivot_segments('by_attributes', [
        'period_grain', 'period_start', 'active_users', 'new_users', 'retained_users',
    ]) }}

),

counted as (

    select
        period_grain,
        segment_type,
        segment_value,
        period_start,
        sum(active_users) as active_users,
        sum(new_users) as new_users,
        sum(retained_users) as retained_users

    from unpivoted
    group by
        period_grain,
        segment_type,
        segment_value,
        period_start

),

segments as (

    select distinct
        period_grain,
        segment_type,
        segment_value

    from counted

),

-- every period for every segment, zeros included, and the active users of the period before
grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.nominal_period_end,
        segments.segment_type,
        segments.segment_value,
        coalesce(counted.active_users, 0) as active_users,
        coalesce(counted.new_users, 0) as new_users,
        coalesce(counted.retained_users, 0) as retained_users,
        coalesce(lag(coalesce(counted.active_users, 0)) over (
            partition by periods.period_grain, segments.segment_type, segments.segment_value
            order by periods.period_start
        ), 0) as previous_active_users

    from periods
    inner join segments
        on periods.period_grain = segments.period_grain
    left join counted
        on
            periods.period_grain = counted.period_grain
            and periods.period_start = counted.period_start
            and segments.segment_type = counted.segment_type
            and segments.segment_value = counted.segment_value

),

-- the rest of the active users were resurrected; the rest of the previous period's went dormant
classified_counts as (

    select
        *,
        active_users - new_users - retained_users as resurrected_users,
        previous_active_users - retained_users as dormant_users

    from grid

),

final as (

    select
        period_grain,
        period_start,
        case when nominal_period_end > {{ as_of_end_date }} then {{ as_of_end_date }} else nominal_period_end end
            as period_end,
        segment_type,
        segment_value,
        cast(active_users as {{ dbt.type_bigint() }}) as active_users,
        cast(new_users as {{ dbt.type_bigint() }}) as new_users,
        cast(retained_users as {{ dbt.type_bigint() }}) as retained_users,
        cast(resurrected_users as {{ dbt.type_bigint() }}) as resurrected_users,
        cast(dormant_users as {{ dbt.type_bigint() }}) as dormant_users,
        {{ retention_rate('active_users', 'new_users + resurrected_users', 'previous_active_users') }}
            as retention_rate_pct,
        {{ quick_ratio('new_users', 'resurrected_users', 'dormant_users') }} as quick_ratio,
        nominal_period_end <= {{ as_of_end_date }} as is_complete

    from classified_counts

)

select * from final
