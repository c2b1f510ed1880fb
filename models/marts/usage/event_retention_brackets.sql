{#-
    Event retention in age brackets (doc block event_bracket): one row per report x cohort grain
    x window x segment x cohort_start x bracket [from, to] of event_retention_brackets, counting
    the members who returned at any age inside the bracket.
-#}
{%- set grains = validated_var('event_retention_grains') -%}
{%- set brackets = validated_var('event_retention_brackets') -%}

with

cohorts as (

    select * from {{ ref('int_event_cohorts_sized') }}

),

returns as (

    select * from {{ ref('int_event_cohort_returns') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

bracket_list as (

    {% for grain in grains %}
    {% set grain_loop = loop %}
    {% for bracket in brackets[grain] %}
    select
        '{{ grain }}' as cohort_grain,
        {{ bracket[0] }} as bracket_from,
        {{ bracket[1] }} as bracket_to
    {% if not (loop.last and grain_loop.last) %}union all{% endif %}
    {% endfor %}
    {% endfor %}

),

-- each member once per bracket they returned in
members_in_brackets as (

    select distinct
        returns.report_name,
        returns.cohort_grain,
        returns.window_type,
        returns.cohort_start,
        returns.customer_id,
        bracket_list.bracket_from,
        bracket_list.bracket_to

    from returns
    inner join bracket_list
        on
            returns.cohort_grain = bracket_list.cohort_grain
            and returns.period_number between bracket_list.bracket_from and bracket_list.bracket_to

),

returned_by_attributes as (

    select
        members_in_brackets.report_name,
        members_in_brackets.cohort_grain,
        members_in_brackets.window_type,
        members_in_brackets.cohort_start,
        members_in_brackets.bracket_from,
        members_in_brackets.bracket_to,
        {%- for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {%- endfor %}
        count(*) as retained_users

    from members_in_brackets
    inner join customers
        on members_in_brackets.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        members_in_brackets.report_name,
        members_in_brackets.cohort_grain,
        members_in_brackets.window_type,
        members_in_brackets.cohort_start,
        members_in_brackets.bracket_from,
        members_in_brackets.bracket_to

),

returned_unpivoted as (

    {{ unpivot_segments('returned_by_attributes', [
        'report_name', 'cohort_grain', 'window_type', 'cohort_start', 'bracket_from', 'bracket_to', 'retained_users',
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
        bracket_from,
        bracket_to,
        sum(retained_users) as retained_users

    from returned_unpivoted
    group by
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        cohort_start,
        bracket_from,
        bracket_to

),

-- every cohort's brackets that have begun for some member
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
        bracket_list.bracket_from,
        bracket_list.bracket_to

    from cohorts
    inner join bracket_list
        on
            cohorts.cohort_grain = bracket_list.cohort_grain
            and cohorts.oldest_age >= bracket_list.bracket_from

),

final as (

    select
        cells.report_name,
        cells.cohort_grain,
        cells.window_type,
        cells.segment_type,
        cells.segment_value,
        cells.cohort_start,
        cast(cells.bracket_from as {{ dbt.type_int() }}) as bracket_from,
        cast(cells.bracket_to as {{ dbt.type_int() }}) as bracket_to,
        case
            when cells.bracket_from = cells.bracket_to then cast(cells.bracket_from as {{ dbt.type_string() }})
            else {{ dbt.concat([
                'cast(cells.bracket_from as ' ~ dbt.type_string() ~ ')',
                "'-'",
                'cast(cells.bracket_to as ' ~ dbt.type_string() ~ ')',
            ]) }}
        end as bracket_label,
        cast(cells.cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        cast(coalesce(returned.retained_users, 0) as {{ dbt.type_bigint() }}) as retained_users,
        {{ percentage('coalesce(returned.retained_users, 0)', 'cells.cohort_size') }} as retention_pct,
        cells.bracket_to < cells.complete_ages as is_complete

    from cells
    left join returned
        on
            cells.report_name = returned.report_name
            and cells.cohort_grain = returned.cohort_grain
            and cells.window_type = returned.window_type
            and cells.segment_type = returned.segment_type
            and cells.segment_value = returned.segment_value
            and cells.cohort_start = returned.cohort_start
            and cells.bracket_from = returned.bracket_from
            and cells.bracket_to = returned.bracket_to

)

select * from final
