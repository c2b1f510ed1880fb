{#-
    Deprecated: the drill-down's old name, kept as a view for one release so that the queries the
    README showed keep working. Read the mart mrr_movements instead.
-#}

with

mrr_movements as (

    select * from {{ ref('mrr_movements') }}

),

final as (

    select
        customer_id,
        period_grain,
        period_start,
        movement_type,
        mrr_at_start,
        mrr_at_end,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        plan_at_start,
        plan_at_end,
        is_plan_change

    from mrr_movements

)

select * from final
