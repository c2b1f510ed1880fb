{#-
    Revenue retention per period and segment: each customer's MRR at the period's start and end
    (int_customer_mrr_period_runs_snapshotted), and the sums of their movements in between (the
    mart mrr_movements, one row per customer per movement). Segments: all, country and
    acquisition_channel (the customer's attributes) and plan (the customer's plan at each
    instant, so a plan change moves the customer's MRR from one plan's row to another's: churned
    and moved_out on the old plan, moved_in on the new one). MRR comes from subscriptions in both
    activity modes.
-#}
{%- set amounts = [
    'mrr_at_start', 'mrr_at_end', 'new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr',
    'churned_mrr', 'moved_in_mrr', 'moved_out_mrr', 'paying_customers_at_start', 'paying_customers_at_end',
] -%}
{%- set movement_amounts = ['new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr'] -%}

with

grid as (

    select * from {{ ref('int_period_segments_spined') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

snapshots as (

    select * from {{ ref('int_customer_mrr_period_runs_snapshotted') }}

),

mrr_movements as (

    select * from {{ ref('mrr_movements') }}

),

-- the customers' MRR at the start and end summed per run of periods (the snapshots hold runs of
-- periods in which a customer's subscriptions do not change), combination of the customer
-- attributes that segments are made of, and pair of plans (at the start, at the end)
run_balances as (

    select
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        snapshots.plan_at_start,
        snapshots.plan_at_end,
        sum(snapshots.mrr_at_start) as mrr_at_start,
        sum(snapshots.mrr_at_end) as mrr_at_end,
        sum(case when snapshots.mrr_at_start > 0 then 1 else 0 end) as paying_customers_at_start,
        sum(case when snapshots.mrr_at_end > 0 then 1 else 0 end) as paying_customers_at_end,
        snapshots.period_grain,
        snapshots.period_start,
        snapshots.last_period_start

    from snapshots
    left join customers
        on snapshots.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        snapshots.plan_at_start,
        snapshots.plan_at_end,
        snapshots.period_grain,
        snapshots.period_start,
        snapshots.last_period_start

),

-- the same per period: each run's amounts in every period it covers, a few thousand rows,
-- whatever the number of customers
balances as (

    select
        {% for attribute in segment_attributes() %}
        run_balances.{{ attribute }},
        {% endfor %}
        run_balances.plan_at_start,
        run_balances.plan_at_end,
        sum(run_balances.mrr_at_start) as mrr_at_start,
        sum(run_balances.mrr_at_end) as mrr_at_end,
        sum(run_balances.paying_customers_at_start) as paying_customers_at_start,
        sum(run_balances.paying_customers_at_end) as paying_customers_at_end,
        periods.period_grain,
        periods.period_start

    from run_balances
    inner join periods
        on {{ run_covers_period('run_balances', 'periods') }}
    group by
        {% for attribute in segment_attributes() %}
        run_balances.{{ attribute }},
        {% endfor %}
        run_balances.plan_at_start,
        run_balances.plan_at_end,
        periods.period_grain,
        periods.period_start

),

-- the movements summed per period, combination of attribute values and pair of plans
movements as (

    select
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        mrr_movements.plan_at_start,
        mrr_movements.plan_at_end,
        {% for amount in movement_amounts %}
        sum(mrr_movements.{{ amount }}) as {{ amount }},
        {% endfor %}
        mrr_movements.period_grain,
        mrr_movements.period_start

    from mrr_movements
    left join customers
        on mrr_movements.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        mrr_movements.plan_at_start,
        mrr_movements.plan_at_end,
        mrr_movements.period_grain,
        mrr_movements.period_start

),

-- balances and movements stacked, then summed per period, attribute values and pair of plans (a
-- mover's customer is in the balances too)
stacked as (

    select
        {% for attribute in segment_attributes() %}
        {{ attribute }},
        {% endfor %}
        plan_at_start,
        plan_at_end,
        mrr_at_start,
        mrr_at_end,
        {% for amount in movement_amounts %}
        0 as {{ amount }},
        {% endfor %}
        paying_customers_at_start,
        paying_customers_at_end,
        period_grain,
        period_start
    from balances

    union all

    select
        {% for attribute in segment_attributes() %}
        {{ attribute }},
        {% endfor %}
        plan_at_start,
        plan_at_end,
        0 as mrr_at_start,
        0 as mrr_at_end,
        {% for amount in movement_amounts %}
        {{ amount }},
        {% endfor %}
        0 as paying_customers_at_start,
        0 as paying_customers_at_end,
        period_grain,
        period_start
    from movements

),

cells as (

    select
        {% for attribute in segment_attributes() %}
        {{ attribute }},
        {% endfor %}
        plan_at_start,
        plan_at_end,
        {% for amount in amounts if amount not in ['moved_in_mrr', 'moved_out_mrr'] %}
        sum({{ amount }}) as {{ amount }},
        {% endfor %}
        period_grain,
        period_start

    from stacked
    group by
        {% for attribute in segment_attributes() %}
        {{ attribute }},
        {% endfor %}
        plan_at_start,
        plan_at_end,
        period_grain,
        period_start

),

-- a customer whose plan at the end differs from the one at the start moves their MRR between
-- plans: constant within a cell
cell_plan_changes as (

    select
        *,
        coalesce(plan_at_start != plan_at_end, false) as is_plan_change

    from cells

),

-- the amounts in the plan the customers count in at the start: their MRR, and their movement
-- unless they leave the plan
plan_at_start_amounts as (

    select
        'plan' as segment_type,
        plan_at_start as segment_value,
        period_grain,
        period_start,
        mrr_at_start,
        0 as mrr_at_end,
        0 as new_mrr,
        0 as reactivation_mrr,
        case when is_plan_change then 0 else expansion_mrr end as expansion_mrr,
        case when is_plan_change then 0 else contraction_mrr end as contraction_mrr,
        case when is_plan_change then mrr_at_start else churned_mrr end as churned_mrr,
        0 as moved_in_mrr,
        case when is_plan_change then mrr_at_start else 0 end as moved_out_mrr,
        paying_customers_at_start,
        0 as paying_customers_at_end
    from cell_plan_changes
    where plan_at_start is not null

),

-- and in the plan they count in at the end: their MRR, and what they bring in when they were
-- not on it
plan_at_end_amounts as (

    select
        'plan' as segment_type,
        plan_at_end as segment_value,
        period_grain,
        period_start,
        0 as mrr_at_start,
        mrr_at_end,
        case when is_plan_change then 0 else new_mrr end as new_mrr,
        case when is_plan_change then 0 else reactivation_mrr end as reactivation_mrr,
        0 as expansion_mrr,
        0 as contraction_mrr,
        0 as churned_mrr,
        case when is_plan_change then mrr_at_end else 0 end as moved_in_mrr,
        0 as moved_out_mrr,
        0 as paying_customers_at_start,
        paying_customers_at_end
    from cell_plan_changes
    where plan_at_end is not null

),

-- the attribute segments: the customers' whole movements
attribute_value_amounts as (

    select
        {% for attribute in segment_attributes() %}
        {{ attribute }},
        {% endfor %}
        mrr_at_start,
        mrr_at_end,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        0 as moved_in_mrr,
        0 as moved_out_mrr,
        paying_customers_at_start,
        paying_customers_at_end,
        period_grain,
        period_start
    from cells

),

-- every amount once per segment it counts in
segment_amounts as (

    {{ unpivot_segments('attribute_value_amounts', ['period_grain', 'period_start'] + amounts) }}

    union all

    select * from plan_at_start_amounts

    union all

    select * from plan_at_end_amounts

),

summed as (

    select
        {% for amount in amounts %}
        sum({{ amount }}) as {{ amount }},
        {% endfor %}
        period_grain,
        period_start,
        segment_type,
        segment_value

    from segment_amounts
    group by period_grain, period_start, segment_type, segment_value

),

filled as (

    select
        grid.period_grain,
        grid.period_start,
        grid.segment_type,
        grid.segment_value,
        {% for column in [
            'mrr_at_start', 'new_mrr', 'reactivation_mrr', 'expansion_mrr', 'moved_in_mrr',
            'contraction_mrr', 'churned_mrr', 'moved_out_mrr', 'mrr_at_end',
        ] %}
        cast(coalesce(summed.{{ column }}, 0) as {{ dbt.type_numeric() }}) as {{ column }},
        {% endfor %}
        cast(coalesce(summed.paying_customers_at_start, 0) as {{ dbt.type_bigint() }}) as paying_customers_at_start,
        cast(coalesce(summed.paying_customers_at_end, 0) as {{ dbt.type_bigint() }}) as paying_customers_at_end,
        grid.is_complete,
        grid.period_end

    from grid
    left join summed
        on
            grid.period_grain = summed.period_grain
            and grid.period_start = summed.period_start
            and grid.segment_type = summed.segment_type
            and grid.segment_value = summed.segment_value

),

final as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        mrr_at_start,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        moved_in_mrr,
        contraction_mrr,
        churned_mrr,
        moved_out_mrr,
        mrr_at_end,
        cast(mrr_at_end - mrr_at_start as {{ dbt.type_numeric() }}) as net_new_mrr,
        paying_customers_at_start,
        paying_customers_at_end,
        {{ gross_revenue_retention('mrr_at_start', 'churned_mrr', 'contraction_mrr') }}
            as gross_revenue_retention_pct,
        {{ net_revenue_retention('mrr_at_start', 'expansion_mrr', 'contraction_mrr', 'churned_mrr') }}
            as net_revenue_retention_pct,
        is_complete,
        period_end

    from filled

)

select * from final
