{#-
    Each customer's subscriptions read at the instants that bound every period, at each grain:
    at period_start_at (where CS is taken) and at period_end_at (where CE is taken; the end of
    as_of_date for the incomplete period), off the MRR step function
    (int_customer_mrr_steps_summed): whether a subscription runs, the MRR and the plan. Also:
    whether a subscription runs at some instant inside the period, and the plan at the
    customer's first such instant (where a customer who joins and leaves inside it is counted);
    whether one ran at some instant before the period (new or reactivated); and whether they
    paid (MRR > 0) at some instant before it (new MRR or reactivation).

    Stored as runs of periods, period_start to last_period_start, in which nothing of the above
    changes, so that 1M customers over four years are 3.4M rows rather than 16M customer-periods:
    - a period in which a span starts or ends (or which a span touches at its end instant only)
      is a run of one period, its spans summed per customer;
    - the periods a span runs through whole, from their start instant to their end instant, are
      one run per span, as the span is then the customer's only one there (spans never overlap).
      The run is split after its first period when the customer's first subscribed or first
      paid instant is that period's start: was_subscribed_before_period and
      has_paid_before_period turn true from the second period on.
    Readers count the runs and expand the counts to periods (run_covers_period).

    The spans are a customer's subscriptions cut at every start and end, so they never overlap
    and cover exactly the instants when a subscription runs: the instants of the customer's
    spells (int_customer_active_spells_merged). Each span carries what is known of its customer before
    it (computed over the spans, before they are crossed with the periods): no join or sort
    over the millions of customer-period rows is needed.

    A table rebuilt in full on every run (dbt_project.yml): a daily run's lookback window would
    cut the runs that reach into it, so it cannot replace periods as the per-period models do.
-#}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

spans as (

    select * from {{ ref('int_customer_mrr_steps_summed') }}

),

spans_with_history as (

    select
        *,
        min(span_started_at) over (partition by customer_id) as first_subscribed_at,
        min(case when mrr > 0 then span_started_at end) over (partition by customer_id) as first_paid_at,
        lag(span_ended_at) over (partition by customer_id order by span_started_at) as previous_span_ended_at

    from spans

),

-- read by whole_periods and changing_runs: not stored in between (16M rows at 1M customers),
-- each reads its own rows off the join
span_periods as {{ not_materialized() }} (

    select
        spans.customer_id,
        periods.period_grain,
        periods.period_start,
        periods.period_start_at,
        spans.span_started_at,
        spans.mrr,
        spans.plan,
        spans.first_subscribed_at,
        spans.first_paid_at,
        (
            spans.span_started_at <= periods.period_start_at
            and (spans.span_ended_at is null or spans.span_ended_at > periods.period_start_at)
        ) as is_at_start,
        (
            spans.span_started_at <= periods.period_end_at
            and (spans.span_ended_at is null or spans.span_ended_at > periods.period_end_at)
        ) as is_at_end,
        spans.span_started_at < periods.period_end_at as is_in_period,
        -- no earlier span reaches into the period: the span at the customer's first active
        -- instant inside it (spans never overlap)
        (
            spans.previous_span_ended_at is null
            or spans.previous_span_ended_at <= periods.period_start_at
        ) as is_first_in_period

    from spans_with_history as spans
    inner join periods
        on
            spans.span_started_at <= periods.period_end_at
            and (spans.span_ended_at is null or spans.span_ended_at > periods.period_start_at)

),

-- a span that runs through the whole period, from its start instant to its end instant, is the
-- only span of its customer there (spans never overlap): most customer-periods
whole_periods as (

    select
        customer_id,
        period_grain,
        period_start,
        span_started_at,
        mrr,
        plan,
        first_subscribed_at < period_start_at as was_subscribed_before_period,
        coalesce(first_paid_at < period_start_at, false) as has_paid_before_period

    from span_periods
    where is_at_start and is_at_end

),

-- a span's whole periods are one run, split where was_subscribed_before_period or
-- has_paid_before_period turns true: at most after the run's first period, when the customer's
-- first subscribed or first paid instant is its start
whole_runs as (

    select
        customer_id,
        period_grain,
        min(period_start) as period_start,
        max(period_start) as last_period_start,
        max(mrr) as mrr_at_start,
        max(mrr) as mrr_at_end,
        max(plan) as plan_at_start,
        max(plan) as plan_at_end,
        max(plan) as first_plan_in_period,
        true as is_subscribed_at_start,
        true as is_subscribed_at_end,
        true as is_subscribed_in_period,
        was_subscribed_before_period,
        has_paid_before_period

    from whole_periods
    group by
        customer_id,
        period_grain,
        span_started_at,
        was_subscribed_before_period,
        has_paid_before_period

),

-- the periods in which a span starts or ends: each span's part summed per customer, each a run
-- of one period
changing_runs as (

    select
        customer_id,
        period_grain,
        period_start,
        period_start as last_period_start,
        sum(case when is_at_start then mrr else 0 end) as mrr_at_start,
        sum(case when is_at_end then mrr else 0 end) as mrr_at_end,
        max(case when is_at_start then plan end) as plan_at_start,
        max(case when is_at_end then plan end) as plan_at_end,
        max(case when is_in_period and is_first_in_period then plan end) as first_plan_in_period,
        {{ dbt.bool_or('is_at_start') }} as is_subscribed_at_start,
        {{ dbt.bool_or('is_at_end') }} as is_subscribed_at_end,
        {{ dbt.bool_or('is_in_period') }} as is_subscribed_in_period,
        min(first_subscribed_at) < period_start_at as was_subscribed_before_period,
        coalesce(min(first_paid_at) < period_start_at, false) as has_paid_before_period

    from span_periods
    where not (is_at_start and is_at_end)
    group by customer_id, period_grain, period_start, period_start_at

),

runs as (

    select * from whole_runs

    union all

    select * from changing_runs

),

final as (

    select
        customer_id,
        period_grain,
        period_start,
        last_period_start,
        cast(mrr_at_start as {{ dbt.type_numeric() }}) as mrr_at_start,
        cast(mrr_at_end as {{ dbt.type_numeric() }}) as mrr_at_end,
        plan_at_start,
        plan_at_end,
        first_plan_in_period,
        is_subscribed_at_start,
        is_subscribed_at_end,
        is_subscribed_in_period,
        was_subscribed_before_period,
        has_paid_before_period

    from runs

)

select * from final
