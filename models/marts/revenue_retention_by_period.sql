{#-
    Revenue retention per period and segment, from each customer's MRR at the period's start and
    end (int_customer_mrr_snapshotted_to_periods) and their movements in between
    (int_customer_mrr_movements_classified). Segments: all, country and acquisition_channel (the
    customer's attributes) and plan (the customer's plan at each instant, so a plan change moves
    the customer's MRR from one plan's row to another's: churned and moved_out on the old plan,
    moved_in on the new one). MRR comes from subscriptions in both activity modes.
-#}
{%- set amounts = [
    'mrr_at_start', 'mrr_at_end', 'new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr',
    'churned_mrr', 'moved_in_mrr', 'moved_out_mrr', 'paying_customers_at_start', 'paying_customers_at_end',
] -%}

with

grid as (

    select * from {{ ref('int_period_segments_spined') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

snapshots as (

    select * from {{ ref('int_customer_mrr_snapshotted_to_periods') }}

),

movements as (

    select * from {{ ref('int_customer_mrr_movements_classified') }}

),

customer_periods as (

    select
        snapshots.customer_id,
        snapshots.period_grain,
        snapshots.period_start,
        snapshots.mrr_at_start,
        snapshots.mrr_at_end,
        snapshots.plan_at_start,
        snapshots.plan_at_end,
        coalesce(movements.is_plan_change, false) as is_plan_change,
        coalesce(movements.new_mrr, 0) as new_mrr,
        coalesce(movements.reactivation_mrr, 0) as reactivation_mrr,
        coalesce(movements.expansion_mrr, 0) as expansion_mrr,
        coalesce(movements.contraction_mrr, 0) as contraction_mrr,
        coalesce(movements.churned_mrr, 0) as churned_mrr

    from snapshots
    left join movements
        on
            snapshots.customer_id = movements.customer_id
            and snapshots.period_grain = movements.period_grain
            and snapshots.period_start = movements.period_start

),

-- each customer's amounts in the plan they count in at the start: their MRR, and their
-- movement unless they leave the plan
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
        case when mrr_at_start > 0 then 1 else 0 end as paying_customers_at_start,
        0 as paying_customers_at_end
    from customer_periods
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
        case when mrr_at_end > 0 then 1 else 0 end as paying_customers_at_end
    from customer_periods
    where plan_at_end is not null

),

-- the customers' whole movements, summed per period and combination of the customer attributes
-- that segments are made of: a few thousand rows, whatever the number of customers
attribute_value_amounts as (

    select
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        customer_periods.period_grain,
        customer_periods.period_start,
        sum(customer_periods.mrr_at_start) as mrr_at_start,
        sum(customer_periods.mrr_at_end) as mrr_at_end,
        sum(customer_periods.new_mrr) as new_mrr,
        sum(customer_periods.reactivation_mrr) as reactivation_mrr,
        sum(customer_periods.expansion_mrr) as expansion_mrr,
        sum(customer_periods.contraction_mrr) as contraction_mrr,
        sum(customer_periods.churned_mrr) as churned_mrr,
        0 as moved_in_mrr,
        0 as moved_out_mrr,
        sum(case when customer_periods.mrr_at_start > 0 then 1 else 0 end) as paying_customers_at_start,
        sum(case when customer_periods.mrr_at_end > 0 then 1 else 0 end) as paying_customers_at_end
    from customer_periods
    inner join customers
        on customer_periods.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        customer_periods.period_grain,
        customer_periods.period_start

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
