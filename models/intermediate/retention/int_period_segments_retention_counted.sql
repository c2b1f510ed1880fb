{#-
    The retention counts per period and segment, from the customer-period classification
    (int_customer_period_runs_classified): CS, CE, new, reactivated, retained, churned, moved in and
    out, joined and left.

    The customers' runs of periods are counted per combination of the customer attributes that
    segments are made of, then per period and segment (unpivot_segments), so every segment is
    counted from its own customers and never by combining other rows' rates. In subscription
    mode the `plan` segment follows each customer's plan at each instant: a customer counts in
    the CS of their plan at the start and in the CE of their plan at the end, so a plan change
    is a move out of one plan (churned and moved_out) and into another (moved_in, part of CN).

    The result is dense: every row of the grid int_period_segments_spined (without its plan rows
    in transaction mode), with zeros where a segment has nobody, so period-over-period identities
    hold row by row and charts have no gaps.
-#}
{%- set counts = [
    ('customers_at_start', 'is_active_at_start'),
    ('customers_at_end', 'is_active_at_end'),
    ('new_customers', 'is_new'),
    ('reactivated_customers', 'is_reactivated'),
    ('retained_customers', 'is_retained'),
    ('churned_customers', 'is_churned'),
    ('joined_and_left_customers', 'is_joined_and_left'),
] -%}

with

period_segments as (

    select * from {{ ref('int_period_segments_spined') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

-- runs of periods in which a customer's class does not change (last_period_start), read twice
-- (attribute counts and plan memberships): not stored in between
customer_periods as {{ not_materialized() }} (

    select * from {{ ref('int_customer_period_runs_classified') }}

),

-- the plan segment follows subscriptions: counted in subscription mode only
grid as (

    select * from period_segments
    {% if validated_var('activity_mode') != 'subscription' %}
    where segment_type != 'plan'
    {% endif %}

),

-- every count summed per run of periods and combination of the customer attributes that
-- segments are made of
run_counted_by_attribute_values as (

    select
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        {% for count_column, flag in counts %}
        sum(case when customer_periods.{{ flag }} then 1 else 0 end) as {{ count_column }},
        {% endfor %}
        customer_periods.period_grain,
        customer_periods.period_start,
        customer_periods.last_period_start

    from customer_periods
    inner join customers
        on customer_periods.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        customer_periods.period_grain,
        customer_periods.period_start,
        customer_periods.last_period_start

),

-- the same per period: each run's counts in every period it covers, a few thousand rows,
-- whatever the number of customers
counted_by_attribute_values as (

    select
        {% for attribute in segment_attributes() %}
        run_counted_by_attribute_values.{{ attribute }},
        {% endfor %}
        {% for count_column, flag in counts %}
        sum(run_counted_by_attribute_values.{{ count_column }}) as {{ count_column }},
        {% endfor %}
        periods.period_grain,
        periods.period_start

    from run_counted_by_attribute_values
    inner join periods
        on {{ run_covers_period('run_counted_by_attribute_values', 'periods') }}
    group by
        {% for attribute in segment_attributes() %}
        run_counted_by_attribute_values.{{ attribute }},
        {% endfor %}
        periods.period_grain,
        periods.period_start

),

attribute_values_in_segments as (

    {{ unpivot_segments(
        'counted_by_attribute_values',
        ['period_grain', 'period_start'] + counts | map('first') | list,
    ) }}

),

-- each segment's counts are the sums of its customers' counts, never a combination of rates
counted_by_attribute as (

    select
        {% for count_column, flag in counts %}
        sum({{ count_column }}) as {{ count_column }},
        {% endfor %}
        period_grain,
        period_start,
        segment_type,
        segment_value

    from attribute_values_in_segments
    group by period_grain, period_start, segment_type, segment_value

),

{% if validated_var('activity_mode') == 'subscription' %}

customer_period_plans as (

    select
        *,
        coalesce(is_retained and plan_at_start != plan_at_end, false) as is_plan_change

    from customer_periods

),

-- each customer in the plan they are on at the start, at the end, and (joined and left) inside
plan_memberships as (

    select
        period_grain,
        period_start,
        last_period_start,
        plan_at_start as plan,
        1 as is_at_start,
        0 as is_at_end,
        0 as is_new,
        0 as is_reactivated,
        case when is_retained and not is_plan_change then 1 else 0 end as is_retained,
        case when is_churned or is_plan_change then 1 else 0 end as is_churned,
        0 as is_moved_in,
        case when is_plan_change then 1 else 0 end as is_moved_out,
        0 as is_joined_and_left
    from customer_period_plans
    where is_active_at_start

    union all

    select
        period_grain,
        period_start,
        last_period_start,
        plan_at_end as plan,
        0 as is_at_start,
        1 as is_at_end,
        case when is_new then 1 else 0 end as is_new,
        case when is_reactivated then 1 else 0 end as is_reactivated,
        0 as is_retained,
        0 as is_churned,
        case when is_plan_change then 1 else 0 end as is_moved_in,
        0 as is_moved_out,
        0 as is_joined_and_left
    from customer_period_plans
    where is_active_at_end

    union all

    select
        period_grain,
        period_start,
        last_period_start,
        first_plan_in_period as plan,
        0 as is_at_start,
        0 as is_at_end,
        0 as is_new,
        0 as is_reactivated,
        0 as is_retained,
        0 as is_churned,
        0 as is_moved_in,
        0 as is_moved_out,
        1 as is_joined_and_left
    from customer_period_plans
    where is_joined_and_left

),

-- each plan's counts per run of periods, then per period: each run's counts in every period it
-- covers
run_counted_by_plan as (

    select
        period_grain,
        period_start,
        last_period_start,
        plan,
        sum(is_at_start) as customers_at_start,
        sum(is_at_end) as customers_at_end,
        sum(is_new) as new_customers,
        sum(is_reactivated) as reactivated_customers,
        sum(is_retained) as retained_customers,
        sum(is_churned) as churned_customers,
        sum(is_moved_in) as moved_in_customers,
        sum(is_moved_out) as moved_out_customers,
        sum(is_joined_and_left) as joined_and_left_customers

    from plan_memberships
    group by period_grain, period_start, last_period_start, plan

),

counted_by_plan as (

    select
        periods.period_grain,
        periods.period_start,
        'plan' as segment_type,
        run_counted_by_plan.plan as segment_value,
        sum(run_counted_by_plan.customers_at_start) as customers_at_start,
        sum(run_counted_by_plan.customers_at_end) as customers_at_end,
        sum(run_counted_by_plan.new_customers) as new_customers,
        sum(run_counted_by_plan.reactivated_customers) as reactivated_customers,
        sum(run_counted_by_plan.retained_customers) as retained_customers,
        sum(run_counted_by_plan.churned_customers) as churned_customers,
        sum(run_counted_by_plan.moved_in_customers) as moved_in_customers,
        sum(run_counted_by_plan.moved_out_customers) as moved_out_customers,
        sum(run_counted_by_plan.joined_and_left_customers) as joined_and_left_customers

    from run_counted_by_plan
    inner join periods
        on {{ run_covers_period('run_counted_by_plan', 'periods') }}
    group by periods.period_grain, periods.period_start, run_counted_by_plan.plan

),

{% endif %}

counted as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        {% for count_column, flag in counts %}
        {{ count_column }},
        {% endfor %}
        0 as moved_in_customers,
        0 as moved_out_customers
    from counted_by_attribute

    {% if validated_var('activity_mode') == 'subscription' %}
    union all

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        {% for count_column, flag in counts %}
        {{ count_column }},
        {% endfor %}
        moved_in_customers,
        moved_out_customers
    from counted_by_plan
    {% endif %}

),

final as (

    select
        grid.period_grain,
        grid.period_start,
        grid.segment_type,
        grid.segment_value,
        {% for count_column in [
            'customers_at_start', 'customers_at_end', 'new_customers', 'reactivated_customers',
            'retained_customers', 'churned_customers', 'moved_in_customers', 'moved_out_customers',
            'joined_and_left_customers',
        ] %}
        cast(coalesce(counted.{{ count_column }}, 0) as {{ dbt.type_bigint() }}) as {{ count_column }},
        {% endfor %}
        grid.is_complete,
        grid.period_end

    from grid
    left join counted
        on
            grid.period_grain = counted.period_grain
            and grid.period_start = counted.period_start
            and grid.segment_type = counted.segment_type
            and grid.segment_value = counted.segment_value

)

select * from final
