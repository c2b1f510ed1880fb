{#-
    The observations the shifted-beta-geometric (sBG) retention projection is fitted on
    (doc block sbg_observations): at each grain, each customer's cohort (the period their first
    subscription started in) and how many renewals they survived, counted per segment, cohort,
    last observed age and lifetime. A customer survives the renewal at age k when they are active
    at the start instant of period k of their cohort, and of every period before it: only their
    first spell counts, as the model has no reactivation (a customer who lapses and comes back is
    lost at the first lapse). Ages run up to the last period that has started by as_of_date.
    Subscription mode only: in transaction mode the model is empty (the BG/NBD path values
    customers there).
-#}

with

spells as (

    select * from {{ ref('int_customer_active_spells_merged') }}

),

subscriptions as (

    select * from {{ ref('stg_raw__subscriptions') }}

),

customer_segments as (

    select * from {{ ref('int_customer_segments_unpivoted') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

numbered_periods as (

    select
        period_grain,
        period_start,
        row_number() over (partition by period_grain order by period_start) as period_index,
        count(*) over (partition by period_grain) as last_period_index

    from periods

),

grains as (

    select distinct period_grain from numbered_periods

),

first_spells as (

    select
        customer_id,
        spell_started_at,
        spell_ended_at

    from spells
    where
        spell_number = 1
        and {{ "true" if validated_var('activity_mode') == 'subscription' else "false" }}

),

subscriptions_seen as (

    {{ subscriptions_in_window('subscriptions') }}

),

-- the plan of the subscription that opened the first spell (on a tie, the lowest id)
first_plans as (

    select
        customer_id,
        plan

    from (
        select
            customer_id,
            plan,
            row_number() over (
                partition by customer_id order by started_at, subscription_id
            ) as subscription_order
        from subscriptions_seen
    ) as ordered
    where subscription_order = 1

),

-- per grain: the cohort's period, and the period in which the first spell ended (if it did)
placed as (

    select
        first_spells.customer_id,
        grains.period_grain,
        {{ period_start_at_grain('grains.period_grain', 'first_spells.spell_started_at') }} as cohort_start,
        {{ period_start_at_grain('grains.period_grain', 'first_spells.spell_ended_at') }} as end_period_start,
        first_spells.spell_ended_at

    from first_spells
    cross join grains

),

lifetimes as (

    select
        placed.customer_id,
        placed.period_grain,
        placed.cohort_start,
        cohorts.last_period_index - cohorts.period_index as last_observed_age,
        -- the last age whose start instant the spell covers: an end at a period's start instant
        -- is not active at it (active while started_at <= t < ended_at)
        case
            when placed.spell_ended_at is null then cohorts.last_period_index
            when placed.spell_ended_at = cast(placed.end_period_start as timestamp)
                then ends.period_index - 1
            else ends.period_index
        end - cohorts.period_index as renewals_survived

    from placed
    inner join numbered_periods as cohorts
        on
            placed.period_grain = cohorts.period_grain
            and placed.cohort_start = cohorts.period_start
    left join numbered_periods as ends
        on
            placed.period_grain = ends.period_grain
            and placed.end_period_start = ends.period_start

),

segmented as (

    select
        customer_segments.segment_type,
        customer_segments.segment_value,
        lifetimes.period_grain,
        lifetimes.cohort_start,
        lifetimes.last_observed_age,
        lifetimes.renewals_survived

    from lifetimes
    inner join customer_segments
        on lifetimes.customer_id = customer_segments.customer_id

    union all

    select
        'plan' as segment_type,
        first_plans.plan as segment_value,
        lifetimes.period_grain,
        lifetimes.cohort_start,
        lifetimes.last_observed_age,
        lifetimes.renewals_survived

    from lifetimes
    inner join first_plans
        on lifetimes.customer_id = first_plans.customer_id

),

final as (

    select
        period_grain,
        segment_type,
        segment_value,
        cohort_start,
        last_observed_age,
        renewals_survived,
        renewals_survived = last_observed_age as is_censored,
        count(*) as customers

    from segmented
    group by
        period_grain,
        segment_type,
        segment_value,
        cohort_start,
        last_observed_age,
        renewals_survived

)

select * from final
