{#-
    One row per customer per run of periods (at each grain of period_grains), from period_start
    to last_period_start, in which the customer is active at the start, at the end or at any
    instant in between, with the retention classification of that customer in each period of the
    run (the same in all of them). In subscription mode a run is a stretch of periods in which
    the customer's subscriptions do not change (see int_customer_mrr_period_runs_snapshotted); in
    transaction mode every run is one period. Readers count the runs and then expand the counts
    to periods (run_covers_period), never the rows themselves.

    subscription mode: active at an instant t when a subscription runs at t (started_at <= t <
      ended_at), read off int_customer_mrr_period_runs_snapshotted. At the start = at the instant
      period_start_at; at the end = at period_end_at (the end of as_of_date for the incomplete
      period). The customer's plans there come along, for the plan segment.
    transaction mode: active in a period with at least one transaction in it (refunds included).
      At the start = active in the previous period; at the end = active in this one. No plans.
-#}
{#-
    In subscription mode the model only renames and combines the snapshots' columns: a view, so
    16M rows at 1M customers are not written twice. In transaction mode it aggregates, and is
    stored like the other per-customer-per-period models (dbt_project.yml).
-#}
{%- if validated_var('activity_mode') == 'subscription' %}
{{ config(materialized='view') }}
{%- endif %}
{#- Both activity sources stay parents whatever the mode, so the DAG does not change with it: -#}
-- depends_on: {{ ref('int_customer_mrr_period_runs_snapshotted') }}
-- depends_on: {{ ref('int_transactions_aggregated_to_customer_periods') }}
-- depends_on: {{ ref('int_periods_spined') }}

with

{% if validated_var('activity_mode') != 'subscription' or is_incremental() %}
periods as (

    select * from {{ ref('int_periods_spined') }}

),

-- every period, or on an incremental run the lookback window's (incremental_window)
periods_in_run as (

    {{ periods_to_build('periods') }}

),

{% endif %}
{% if validated_var('activity_mode') == 'subscription' %}

snapshots as (

    select * from {{ ref('int_customer_mrr_period_runs_snapshotted') }}

),

-- subscription mode reads the subscriptions at the period's instants (spans, not spells: the
-- same instants, and the plans come along for the plan segment)
customer_periods as (

    select
        snapshots.customer_id,
        snapshots.period_grain,
        snapshots.period_start,
        snapshots.last_period_start,
        snapshots.is_subscribed_at_start as is_active_at_start,
        snapshots.is_subscribed_at_end as is_active_at_end,
        snapshots.is_subscribed_in_period as is_active_in_period,
        snapshots.was_subscribed_before_period as was_active_before_period,
        snapshots.plan_at_start,
        snapshots.plan_at_end,
        snapshots.first_plan_in_period

    from snapshots
    {% if is_incremental() %}
    inner join periods_in_run
        on
            snapshots.period_grain = periods_in_run.period_grain
            and snapshots.period_start = periods_in_run.period_start
    {% endif %}

),

{% else %}

active_periods as (

    -- one row per customer per period with at least one transaction up to as_of_date
    select * from {{ ref('int_transactions_aggregated_to_customer_periods') }}

),

first_activity as (

    select
        customer_id,
        min(first_occurred_at) as first_active_at

    from active_periods
    group by customer_id

),

spell_periods as (

    -- a period in which the customer transacts, and the period after it
    select
        active_periods.customer_id,
        periods.period_grain,
        periods.period_start,
        periods.period_start_at,
        -- the first period has no previous period: nobody is active at its start
        coalesce(active_periods.period_start = periods.previous_period_start, false) as is_active_at_start,
        active_periods.period_start = periods.period_start as is_active_at_end,
        active_periods.period_start = periods.period_start as is_active_in_period

    from active_periods
    inner join periods_in_run as periods
        on
            active_periods.period_grain = periods.period_grain
            and (
                active_periods.period_start = periods.period_start
                or active_periods.period_start = periods.previous_period_start
            )

),

customer_periods as (

    select
        spell_periods.customer_id,
        spell_periods.period_grain,
        spell_periods.period_start,
        -- one row per period: each is a run of one period
        spell_periods.period_start as last_period_start,
        {{ dbt.bool_or('spell_periods.is_active_at_start') }} as is_active_at_start,
        {{ dbt.bool_or('spell_periods.is_active_at_end') }} as is_active_at_end,
        {{ dbt.bool_or('spell_periods.is_active_in_period') }} as is_active_in_period,
        first_activity.first_active_at < spell_periods.period_start_at as was_active_before_period,
        cast(null as {{ dbt.type_string() }}) as plan_at_start,
        cast(null as {{ dbt.type_string() }}) as plan_at_end,
        cast(null as {{ dbt.type_string() }}) as first_plan_in_period

    from spell_periods
    inner join first_activity
        on spell_periods.customer_id = first_activity.customer_id
    group by
        spell_periods.customer_id,
        spell_periods.period_grain,
        spell_periods.period_start,
        spell_periods.period_start_at,
        first_activity.first_active_at

),

{% endif %}

final as (

    select
        customer_id,
        period_grain,
        period_start,
        last_period_start,
        is_active_at_start,
        is_active_at_end,
        is_active_in_period,
        is_active_at_start and is_active_at_end as is_retained,
        is_active_at_start and not is_active_at_end as is_churned,
        is_active_at_end and not is_active_at_start and not was_active_before_period as is_new,
        is_active_at_end and not is_active_at_start and was_active_before_period as is_reactivated,
        is_active_in_period and not is_active_at_start and not is_active_at_end as is_joined_and_left,
        plan_at_start,
        plan_at_end,
        first_plan_in_period

    from customer_periods

)

select * from final
