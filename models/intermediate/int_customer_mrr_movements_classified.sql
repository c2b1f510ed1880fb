{#-
    The drill-down behind every MRR movement: one row per customer per period (at each grain) in
    which the customer's MRR at the period's end differs from their MRR at its start, or their
    plan changed between the two instants. movement_type (mrr_movement_type) is new,
    reactivation, churn, expansion or contraction, or plan_change when only the plan changed;
    the amount sits in the matching *_mrr column, every other one is 0, and per customer
    mrr_at_end = mrr_at_start + new + reactivation + expansion - contraction - churned.
-#}

with

snapshots as (

    select * from {{ ref('int_customer_mrr_snapshotted_to_periods') }}

),

moved as (

    select
        *,
        coalesce(
            {{ mrr_movement_type('mrr_at_start', 'mrr_at_end', 'has_paid_before_period') }},
            'plan_change'
        ) as movement_type,
        coalesce(plan_at_start != plan_at_end, false) as is_plan_change

    from snapshots
    where
        mrr_at_start != mrr_at_end
        or plan_at_start != plan_at_end

),

final as (

    select
        customer_id,
        period_grain,
        period_start,
        movement_type,
        mrr_at_start,
        mrr_at_end,
        {% for movement, amount in [
            ('new', 'mrr_at_end'),
            ('reactivation', 'mrr_at_end'),
            ('expansion', 'mrr_at_end - mrr_at_start'),
            ('contraction', 'mrr_at_start - mrr_at_end'),
            ('churn', 'mrr_at_start'),
        ] %}
        cast(case when movement_type = '{{ movement }}' then {{ amount }} else 0 end as {{ dbt.type_numeric() }})
            as {{ 'churned' if movement == 'churn' else movement }}_mrr,
        {% endfor %}
        plan_at_start,
        plan_at_end,
        is_plan_change

    from moved

)

select * from final
