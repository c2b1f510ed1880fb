{#-
    The drill-down behind every MRR movement, and what revenue_retention_by_period sums: one row
    per customer per period (at each grain) in which the customer's MRR at the period's end
    differs from their MRR at its start, or their plan changed between the two instants. movement_type (mrr_movement_type) is new,
    reactivation, churn, expansion or contraction, or plan_change when only the plan changed;
    the amount sits in the matching *_mrr column, every other one is 0, and per customer
    mrr_at_end = mrr_at_start + new + reactivation + expansion - contraction - churned. A table
    rebuilt in full on every run, like the MRR snapshots it reads, so that a subscription corrected
    to an earlier date reaches it (and revenue_retention_by_period) without a full refresh.
-#}

with

snapshots as (

    select * from {{ ref('int_customer_mrr_period_runs_snapshotted') }}

),

moved as (

    select
        snapshots.*,
        coalesce(
            {{ mrr_movement_type(
                'snapshots.mrr_at_start', 'snapshots.mrr_at_end', 'snapshots.has_paid_before_period',
            ) }},
            'plan_change'
        ) as movement_type,
        coalesce(snapshots.plan_at_start != snapshots.plan_at_end, false) as is_plan_change

    from snapshots
    where
        snapshots.mrr_at_start != snapshots.mrr_at_end
        or snapshots.plan_at_start != snapshots.plan_at_end

),

final as (

    select
        customer_id,
        period_grain,
        period_start,
        movement_type,
        plan_at_start,
        plan_at_end,
        mrr_at_start,
        mrr_at_end,
        {% for movement in ['new', 'reactivation', 'expansion', 'contraction', 'churn'] %}
        cast(
            {{ mrr_movement_amount(movement, 'movement_type', 'mrr_at_start', 'mrr_at_end') }}
            as {{ dbt.type_numeric() }}
        ) as {{ 'churned' if movement == 'churn' else movement }}_mrr,
        {% endfor %}
        is_plan_change

    from moved

)

select * from final
