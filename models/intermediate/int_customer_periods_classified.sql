{#-
    One row per customer per period (at each grain of period_grains) in which the customer is active at the start, at the end or
    at any instant in between, with the retention classification of that customer in that period.

    subscription mode: active at an instant t when a spell has spell_started_at <= t < spell_ended_at.
      At the start = at the instant period_start_at; at the end = at period_end_at (the end of
      as_of_date for the incomplete period).
    transaction mode: active in a period with at least one transaction in it (refunds included).
      At the start = active in the previous period; at the end = active in this one.
-#}
{#- Both activity sources stay parents whatever the mode, so the DAG does not change with it: -#}
-- depends_on: {{ ref('int_customer_spells_merged') }}, {{ ref('int_transactions_aggregated_to_customer_periods') }}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

{% if get_activity_mode() == 'subscription' %}

spells as (

    select * from {{ ref('int_customer_spells_merged') }}

),

first_activity as (

    select
        customer_id,
        min(spell_started_at) as first_active_at

    from spells
    group by customer_id

),

spell_periods as (

    -- every (spell, period) pair where the spell touches the period or its end instant
    select
        spells.customer_id,
        periods.period_grain,
        periods.period_start,
        periods.period_start_at,
        (
            spells.spell_started_at <= periods.period_start_at
            and (spells.spell_ended_at is null or spells.spell_ended_at > periods.period_start_at)
        ) as is_active_at_start,
        (
            spells.spell_started_at <= periods.period_end_at
            and (spells.spell_ended_at is null or spells.spell_ended_at > periods.period_end_at)
        ) as is_active_at_end,
        (
            spells.spell_started_at < periods.period_end_at
            and (spells.spell_ended_at is null or spells.spell_ended_at > periods.period_start_at)
        ) as is_active_in_period

    from spells
    inner join periods
        on
            spells.spell_started_at <= periods.period_end_at
            and (spells.spell_ended_at is null or spells.spell_ended_at > periods.period_start_at)

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
    inner join periods
        on
            active_periods.period_grain = periods.period_grain
            and (
                active_periods.period_start = periods.period_start
                or active_periods.period_start = periods.previous_period_start
            )

),

{% endif %}

customer_periods as (

    select
        customer_id,
        period_grain,
        period_start,
        period_start_at,
        {{ dbt.bool_or('is_active_at_start') }} as is_active_at_start,
        {{ dbt.bool_or('is_active_at_end') }} as is_active_at_end,
        {{ dbt.bool_or('is_active_in_period') }} as is_active_in_period

    from spell_periods
    group by customer_id, period_grain, period_start, period_start_at

),

final as (

    select
        customer_periods.customer_id,
        customer_periods.period_grain,
        customer_periods.period_start,
        customer_periods.is_active_at_start,
        customer_periods.is_active_at_end,
        customer_periods.is_active_in_period,
        customer_periods.is_active_at_start and customer_periods.is_active_at_end as is_retained,
        customer_periods.is_active_at_start and not customer_periods.is_active_at_end as is_churned,
        (
            customer_periods.is_active_at_end
            and not customer_periods.is_active_at_start
            and first_activity.first_active_at >= customer_periods.period_start_at
        ) as is_new,
        (
            customer_periods.is_active_at_end
            and not customer_periods.is_active_at_start
            and first_activity.first_active_at < customer_periods.period_start_at
        ) as is_reactivated,
        (
            customer_periods.is_active_in_period
            and not customer_periods.is_active_at_start
            and not customer_periods.is_active_at_end
        ) as is_joined_and_left

    from customer_periods
    inner join first_activity
        on customer_periods.customer_id = first_activity.customer_id

)

select * from final
