{#-
    Each customer's MRR and plan at the two instants that bound every period, at each grain:
    at period_start_at (where CS is taken) and at period_end_at (where CE is taken; the end of
    as_of_date for the incomplete period), read off the MRR step function. One row per customer
    per period that any of their MRR spans touches (the period itself or its end instant).
    Also: the plan at the customer's first active instant inside the period (where a customer
    who joins and leaves inside it is counted), and whether they paid (MRR > 0) at some instant
    before the period, which tells new MRR from reactivation.
-#}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

spans as (

    select * from {{ ref('int_customer_mrr_spans_summed') }}

),

first_payments as (

    select
        customer_id,
        min(span_started_at) as first_paid_at

    from spans
    where mrr > 0
    group by customer_id

),

span_periods as (

    select
        spans.customer_id,
        periods.period_grain,
        periods.period_start,
        periods.period_start_at,
        spans.span_started_at,
        spans.mrr,
        spans.plan,
        (
            spans.span_started_at <= periods.period_start_at
            and (spans.span_ended_at is null or spans.span_ended_at > periods.period_start_at)
        ) as is_at_start,
        (
            spans.span_started_at <= periods.period_end_at
            and (spans.span_ended_at is null or spans.span_ended_at > periods.period_end_at)
        ) as is_at_end,
        spans.span_started_at < periods.period_end_at as is_in_period

    from spans
    inner join periods
        on
            spans.span_started_at <= periods.period_end_at
            and (spans.span_ended_at is null or spans.span_ended_at > periods.period_start_at)

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id, period_grain, period_start
            order by case when is_in_period then 0 else 1 end, span_started_at
        ) as in_period_rank

    from span_periods

),

snapshots as (

    select
        customer_id,
        period_grain,
        period_start,
        period_start_at,
        sum(case when is_at_start then mrr else 0 end) as mrr_at_start,
        sum(case when is_at_end then mrr else 0 end) as mrr_at_end,
        max(case when is_at_start then plan end) as plan_at_start,
        max(case when is_at_end then plan end) as plan_at_end,
        max(case when in_period_rank = 1 and is_in_period then plan end) as first_plan_in_period

    from ranked
    group by customer_id, period_grain, period_start, period_start_at

),

final as (

    select
        snapshots.customer_id,
        snapshots.period_grain,
        snapshots.period_start,
        cast(snapshots.mrr_at_start as {{ dbt.type_numeric() }}) as mrr_at_start,
        cast(snapshots.mrr_at_end as {{ dbt.type_numeric() }}) as mrr_at_end,
        snapshots.plan_at_start,
        snapshots.plan_at_end,
        snapshots.first_plan_in_period,
        coalesce(first_payments.first_paid_at < snapshots.period_start_at, false) as has_paid_before_period

    from snapshots
    left join first_payments
        on snapshots.customer_id = first_payments.customer_id

)

select * from final
