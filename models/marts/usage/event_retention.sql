{#-
    Product-usage retention, the cohort triangle of Mixpanel, Amplitude and Heap, from events:
    one row per report x cohort grain x window x segment x cohort_start x age k, for
    k = 0 ... the oldest age any member has begun, capped by event_retention_max_periods
    (doc blocks event_cohort, event_window_type, event_retention_pct).
-#}
{%- set grains = validated_var('event_retention_grains') -%}
{%- set max_periods = validated_var('event_retention_max_periods') -%}
{%- set first_age_day = modules.datetime.date(2000, 1, 1) -%}
{%- set last_age_day = (first_age_day + modules.datetime.timedelta(days=max_periods.values() | max)).isoformat() -%}

with

cohorts as (

    select * from {{ ref('int_event_cohorts_sized') }}

),

members as (

    select * from {{ ref('int_event_cohort_members') }}

),

returns as (

    select * from {{ ref('int_event_cohort_returns') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

-- the ages 0 ... the largest cap, one row each, as the days after 2000-01-01
age_bounds as (

    select
        cast('2000-01-01' as date) as first_day,
        cast('{{ last_age_day }}' as date) as last_day

),

age_days as (

    {{ period_starts('day', 'age_bounds', 'first_day', 'last_day') }}

),

ages as (

    select cast({{ dbt.datediff("cast('2000-01-01' as date)", 'period_start', 'day') }} as {{ dbt.type_int() }}) as period_number  -- noqa: LT05
    from age_days

),

cells as (

    select
        cohorts.report_name,
        cohorts.cohort_grain,
        cohorts.window_type,
        cohorts.segment_type,
        cohorts.segment_value,
        cohorts.cohort_start,
        cohorts.cohort_size,
        cohorts.complete_ages,
        ages.period_number

    from cohorts
    cross join ages
    where
        ages.period_number <= cohorts.oldest_age
        and (
            {%- for grain in grains %}
            (
                cohorts.cohort_grain = '{{ grain }}'
                and ages.period_number <= {{ max_periods[grain] }}
            ){{ ' or' if not loop.last }}
            {%- endfor %}
        )

),

-- "on": members who returned at age k, per combination of segment attributes, then per segment
returned_by_attributes as (

    select
        returns.report_name,
        returns.cohort_grain,
        returns.window_type,
        returns.cohort_start,
        returns.period_number,
        {%- for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {%- endfor %}
        count(*) as retained_users

    from returns
    inner join customers
        on returns.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        returns.report_name,
        returns.cohort_grain,
        returns.window_type,
        returns.cohort_start,
        returns.period_number

),

returned_unpivoted as (

    {{ unpivot_segments('returned_by_attributes', [
        'report_name', 'cohort_grain', 'window_type', 'cohort_start', 'period_number', 'retained_users',
    ]) }}

),

returned as (

    select
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        period_number,
        sum(retained_users) as retained_users

    from returned_unpivoted
    group by
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        period_number

),

-- "on or after": members by the age of their last return, capped at the grain's largest age
-- reported (a return after it still counts at every reported age)
members_capped as (

    select
        report_name,
        cohort_grain,
        window_type,
        cohort_start,
        customer_id,
        case
            {%- for grain in grains %}
            when cohort_grain = '{{ grain }}' and last_return_age > {{ max_periods[grain] }}
                then {{ max_periods[grain] }}
            {%- endfor %}
            else last_return_age
        end as last_return_age

    from members
    where last_return_age >= 1

),

last_returns_by_attributes as (

    select
        members_capped.report_name,
        members_capped.cohort_grain,
        members_capped.window_type,
        members_capped.cohort_start,
        members_capped.last_return_age,
        {%- for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {%- endfor %}
        count(*) as members_last_returned

    from members_capped
    inner join customers
        on members_capped.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        members_capped.report_name,
        members_capped.cohort_grain,
        members_capped.window_type,
        members_capped.cohort_start,
        members_capped.last_return_age

),

last_returns_unpivoted as (

    {{ unpivot_segments('last_returns_by_attributes', [
        'report_name', 'cohort_grain', 'window_type', 'cohort_start', 'last_return_age', 'members_last_returned',
    ]) }}

),

last_returns as (

    select
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        last_return_age,
        sum(members_last_returned) as members_last_returned

    from last_returns_unpivoted
    group by
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        last_return_age

),

joined as (

    select
        cells.*,
        coalesce(returned.retained_users, 0) as returned_users,
        coalesce(last_returns.members_last_returned, 0) as members_last_returned

    from cells
    left join returned
        on
            cells.report_name = returned.report_name
            and cells.cohort_grain = returned.cohort_grain
            and cells.window_type = returned.window_type
            and cells.segment_type = returned.segment_type
            and cells.segment_value = returned.segment_value
            and cells.cohort_start = returned.cohort_start
            and cells.period_number = returned.period_number
    left join last_returns
        on
            cells.report_name = last_returns.report_name
            and cells.cohort_grain = last_returns.cohort_grain
            and cells.window_type = last_returns.window_type
            and cells.segment_type = last_returns.segment_type
            and cells.segment_value = last_returns.segment_value
            and cells.cohort_start = last_returns.cohort_start
            and cells.period_number = last_returns.last_return_age

),

-- on or after age k: the members whose last return is at age k or later, summed from the
-- cohort's last cell back
counted as (

    select
        *,
        case when period_number = 0 then cohort_size else returned_users end as retained_users,
        case
            when period_number = 0 then cohort_size
            else sum(members_last_returned) over later_ages
        end as retained_on_or_after_users

    from joined
    window later_ages as (
        partition by report_name, cohort_grain, window_type, segment_type, segment_value, cohort_start
        order by period_number desc
        rows between unbounded preceding and current row
    )

),

final as (

    select
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        period_number,
        cast(cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        cast(retained_users as {{ dbt.type_bigint() }}) as retained_users,
        cast(retained_on_or_after_users as {{ dbt.type_bigint() }}) as retained_on_or_after_users,
        {{ percentage('retained_users', 'cohort_size') }} as retention_pct,
        {{ percentage('retained_on_or_after_users', 'cohort_size') }} as retention_on_or_after_pct,
        period_number < complete_ages as is_complete

    from counted

)

select * from final
