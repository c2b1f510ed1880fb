-- Two independent paths to the same figures. MRR at the start of every period (`all` segment)
-- equals the mrr of the staged subscriptions running at the instant period_start, summed
-- straight from staging; and each movement total equals the sum of the per-customer rows of
-- mrr_movements, the drill-down analysts use (and which the mart sums).
-- Returns the (grain, period, figure) combinations that disagree.

with

revenue_retention as (

    select * from {{ ref('revenue_retention_by_period') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

subscriptions as (

    select * from {{ ref('stg_raw__subscriptions') }}

),

movements as (

    select * from {{ ref('mrr_movements') }}

),

all_rows as (

    select * from revenue_retention
    where segment_type = 'all'

),

running_at_start as (

    select
        periods.period_grain,
        periods.period_start,
        sum(subscriptions.mrr) as mrr

    from periods
    inner join subscriptions
        on
            periods.period_start_at >= subscriptions.started_at
            and (subscriptions.ended_at is null or periods.period_start_at < subscriptions.ended_at)
    group by periods.period_grain, periods.period_start

),

movement_totals as (

    select
        period_grain,
        period_start,
        sum(new_mrr) as new_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr

    from movements
    group by period_grain, period_start

),

validation_errors as (

    select
        all_rows.period_grain,
        all_rows.period_start,
        'mrr_at_start vs subscriptions running at period_start' as figure

    from all_rows
    left join running_at_start
        on
            all_rows.period_grain = running_at_start.period_grain
            and all_rows.period_start = running_at_start.period_start
    where all_rows.mrr_at_start != coalesce(running_at_start.mrr, 0)

    union all

    select
        all_rows.period_grain,
        all_rows.period_start,
        'movements vs mrr_movements' as figure

    from all_rows
    left join movement_totals
        on
            all_rows.period_grain = movement_totals.period_grain
            and all_rows.period_start = movement_totals.period_start
    where
        all_rows.new_mrr != coalesce(movement_totals.new_mrr, 0)
        or all_rows.reactivation_mrr != coalesce(movement_totals.reactivation_mrr, 0)
        or all_rows.expansion_mrr != coalesce(movement_totals.expansion_mrr, 0)
        or all_rows.contraction_mrr != coalesce(movement_totals.contraction_mrr, 0)
        or all_rows.churned_mrr != coalesce(movement_totals.churned_mrr, 0)

)

select * from validation_errors
