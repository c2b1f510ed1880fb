{#-
    Daily, weekly and monthly active users and stickiness per day and segment (doc block
    stickiness), from the first event's day to as_of_date.
    Counted without a distinct over sliding windows: a user is in the 28-day count on day d when
    their latest active day up to d is at most 27 days before it. So each of a user's active
    days a, followed by their next active day n, adds the user to the days
    a ... min(n, a + 28) - 1, and those spans never overlap: +1 on day a and -1 on that end day,
    summed per day and run forward, give the distinct count exactly (likewise 7 days and 1 day).
-#}

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

days as (

    {{ period_starts('day', 'bounds', 'first_date', 'last_date') }}

),

with_next as (

    select
        customer_id,
        activity_date,
        lead(activity_date) over (partition by customer_id order by activity_date) as next_active_date

    from active_days

),

-- +1 where a user's span starts, -1 where it ends, per window length
span_edges as (

    select
        customer_id,
        activity_date as edge_date,
        1 as dau_change,
        1 as wau_change,
        1 as mau_change
    from with_next

    union all

    select
        customer_id,
        {{ dbt.dateadd('day', 1, 'activity_date') }} as edge_date,
        -1 as dau_change,
        0 as wau_change,
        0 as mau_change
    from with_next

    {% for window_days, column in [(7, 'wau_change'), (28, 'mau_change')] %}
    union all

    select
        customer_id,
        case
            when next_active_date is not null
                and next_active_date < {{ dbt.dateadd('day', window_days, 'activity_date') }}
                then next_active_date
            else {{ dbt.dateadd('day', window_days, 'activity_date') }}
        end as edge_date,
        0 as dau_change,
        {{ -1 if column == 'wau_change' else 0 }} as wau_change,
        {{ -1 if column == 'mau_change' else 0 }} as mau_change
    from with_next
    {% endfor %}

),

by_attributes as (

    select
        cast(span_edges.edge_date as date) as edge_date,
        {%- for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {%- endfor %}
        sum(span_edges.dau_change) as dau_change,
        sum(span_edges.wau_change) as wau_change,
        sum(span_edges.mau_change) as mau_change

    from span_edges
    inner join customers
        on span_edges.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        cast(span_edges.edge_date as date)

),

unpivoted as (

    {{ unpivot_segments('by_attributes', ['edge_date', 'dau_change', 'wau_change', 'mau_change']) }}

),

changes as (

    select
        segment_type,
        segment_value,
        edge_date,
        sum(dau_change) as dau_change,
        sum(wau_change) as wau_change,
        sum(mau_change) as mau_change

    from unpivoted
    group by
        segment_type,
        segment_value,
        edge_date

),

segments as (

    select distinct
        segment_type,
        segment_value

    from changes

),

counted as (

    select
        days.period_start as activity_date,
        segments.segment_type,
        segments.segment_value,
        sum(coalesce(changes.dau_change, 0)) over running as dau,
        sum(coalesce(changes.wau_change, 0)) over running as wau_7d,
        sum(coalesce(changes.mau_change, 0)) over running as mau_28d

    from days
    cross join segments
    left join changes
        on
            days.period_start = changes.edge_date
            and segments.segment_type = changes.segment_type
            and segments.segment_value = changes.segment_value
    window running as (
        partition by segments.segment_type, segments.segment_value
        order by days.period_start
        rows between unbounded preceding and current row
    )

),

final as (

    select
        activity_date,
        segment_type,
        segment_value,
        cast(dau as {{ dbt.type_bigint() }}) as dau,
        cast(wau_7d as {{ dbt.type_bigint() }}) as wau_7d,
        cast(mau_28d as {{ dbt.type_bigint() }}) as mau_28d,
        {{ percentage('dau', 'mau_28d') }} as dau_mau_pct,
        {{ percentage('dau', 'wau_7d') }} as dau_wau_pct

    from counted

)

select * from final
