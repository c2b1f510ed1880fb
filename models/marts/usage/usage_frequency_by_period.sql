{#-
    How often active users use the product (doc block usage_frequency): per week and month and
    segment, the period's active users by the number of distinct days they were active in it.
-#}
{%- set as_of_end_date = "cast(" ~ as_of_end_at() ~ " as date)" -%}

with

active_days as (

    select * from {{ ref('int_customer_active_days_aggregated') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

customer_periods as (

    {% for grain in ['week', 'month'] %}
    select
        '{{ grain }}' as period_grain,
        customer_id,
        cast({{ dbt.date_trunc(grain, 'activity_date') }} as date) as period_start,
        count(*) as active_days
    from active_days
    group by customer_id, cast({{ dbt.date_trunc(grain, 'activity_date') }} as date)
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

by_attributes as (

    select
        customer_periods.period_grain,
        customer_periods.period_start,
        customer_periods.active_days,
        {%- for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {%- endfor %}
        count(*) as user_count

    from customer_periods
    inner join customers
        on customer_periods.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        customer_periods.period_grain,
        customer_periods.period_start,
        customer_periods.active_days

),

unpivoted as (

    {{ unpivot_segments('by_attributes', ['period_grain', 'period_start', 'active_days', 'user_count']) }}

),

counted as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        active_days,
        sum(user_count) as user_count

    from unpivoted
    group by
        period_grain,
        period_start,
        segment_type,
        segment_value,
        active_days

),

with_totals as (

    select
        *,
        sum(user_count) over (partition by period_grain, period_start, segment_type, segment_value) as active_users

    from counted

),

final as (

    select
        period_grain,
        period_start,
        case
            when period_grain = 'week' and {{ dbt.dateadd('week', 1, 'period_start') }} > {{ as_of_end_date }}
                then {{ as_of_end_date }}
            when period_grain = 'week' then cast({{ dbt.dateadd('week', 1, 'period_start') }} as date)
            when {{ dbt.dateadd('month', 1, 'period_start') }} > {{ as_of_end_date }} then {{ as_of_end_date }}
            else cast({{ dbt.dateadd('month', 1, 'period_start') }} as date)
        end as period_end,
        segment_type,
        segment_value,
        cast(active_days as {{ dbt.type_int() }}) as active_days,
        cast(user_count as {{ dbt.type_bigint() }}) as users,  -- noqa: RF04
        cast(active_users as {{ dbt.type_bigint() }}) as active_users,
        {{ percentage('user_count', 'active_users') }} as users_pct,
        case
            when period_grain = 'week' then {{ dbt.dateadd('week', 1, 'period_start') }} <= {{ as_of_end_date }}
            else {{ dbt.dateadd('month', 1, 'period_start') }} <= {{ as_of_end_date }}
        end as is_complete

    from with_totals

)

select * from final
