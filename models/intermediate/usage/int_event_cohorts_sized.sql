{#-
    One row per event retention cohort and segment: report x cohort grain x window x segment x
    cohort_start, with its size and the ages its cells span (doc block event_cohort).
    oldest_age is the oldest age any member has begun by the end of as_of_date (uncapped):
    calendar, the period containing as_of_date; rolling, the largest k with
    start_at + k windows < the end of as_of_date for the member who started first.
    complete_ages counts the ages whose cells are complete (age k is complete when
    k < complete_ages): calendar, the periods of the cohort's that have fully elapsed by the end of
    as_of_date; rolling, the windows that have elapsed for every member, i.e. for the member who
    started last.
-#}
{%- set grains = validated_var('event_retention_grains') -%}
{%- set as_of_end_date = "cast(" ~ as_of_end_at() ~ " as date)" -%}
{%- set as_of_date = "cast('" ~ validated_var('as_of_date') ~ "' as date)" -%}

with

members as (

    select * from {{ ref('int_event_cohort_members') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

-- summed per combination of segment attributes first, then once per segment
by_attributes as (

    select
        members.report_name,
        members.cohort_grain,
        members.cohort_type,
        members.window_type,
        members.cohort_start,
        {%- for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {%- endfor %}
        count(*) as cohort_size,
        min(members.start_at) as first_start_at,
        max(members.start_at) as last_start_at

    from members
    inner join customers
        on members.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        members.report_name,
        members.cohort_grain,
        members.cohort_type,
        members.window_type,
        members.cohort_start

),

unpivoted as (

    {{ unpivot_segments('by_attributes', [
        'report_name', 'cohort_grain', 'cohort_type', 'window_type', 'cohort_start',
        'cohort_size', 'first_start_at', 'last_start_at',
    ]) }}

),

cohorts as (

    select
        report_name,
        cohort_grain,
        cohort_type,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        sum(cohort_size) as cohort_size,
        min(first_start_at) as first_start_at,
        max(last_start_at) as last_start_at

    from unpivoted
    group by
        report_name,
        cohort_grain,
        cohort_type,
        window_type,
        segment_type,
        segment_value,
        cohort_start

),

-- rolling: whole days from a start's date to the end of as_of_date, and whether the start is
-- after midnight (then its last, partial day has not elapsed)
measured as (

    select
        *,
        {{ dbt.datediff('cast(first_start_at as date)', as_of_end_date, 'day') }} as first_start_days,  -- noqa: LT05
        {{ dbt.datediff('cast(last_start_at as date)', as_of_end_date, 'day') }}
        - case when last_start_at > cast(cast(last_start_at as date) as timestamp) then 1 else 0 end
            as last_start_whole_days,
        case cohort_grain when 'week' then 7 else 1 end as window_days

    from cohorts

),

final as (

    select
        report_name,
        cohort_grain,
        cohort_type,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        cast(cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        first_start_at,
        last_start_at,
        cast(case
            when window_type = 'rolling'
                then floor((first_start_days - 1) / cast(window_days as {{ type_double() }}))
            {%- for grain in grains %}
            when cohort_grain = '{{ grain }}'
                then {{ dbt.datediff('cohort_start', 'cast(' ~ dbt.date_trunc(grain, as_of_date) ~ ' as date)', grain) }}  -- noqa: LT05
            {%- endfor %}
        end as {{ dbt.type_int() }}) as oldest_age,
        cast(case
            when window_type = 'rolling'
                then floor(last_start_whole_days / cast(window_days as {{ type_double() }}))
            {%- for grain in grains %}
            when cohort_grain = '{{ grain }}'
                then {{ dbt.datediff('cohort_start', 'cast(' ~ dbt.date_trunc(grain, as_of_end_date) ~ ' as date)', grain) }}  -- noqa: LT05
            {%- endfor %}
        end as {{ dbt.type_int() }}) as complete_ages

    from measured

)

select * from final
