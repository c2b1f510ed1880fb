{#-
    Each active subscriber at the end of as_of_date, at each grain: the renewals their current
    spell has survived (the tenure n of doc block sbg_subscriber_value: the period starts after
    the one the spell started in, up to the last period started by as_of_date) and their MRR then
    (the sum over the subscriptions still running). What the sBG valuation multiplies.
    Subscription mode only: in transaction mode the model is empty.
-#}

with

spells as (

    select * from {{ ref('int_customer_active_spells_merged') }}

),

subscriptions as (

    select * from {{ ref('stg_raw__subscriptions') }}

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

-- a spell still open at the end of as_of_date (spell_ended_at is null while open)
current_spells as (

    select
        customer_id,
        spell_started_at

    from spells
    where
        spell_ended_at is null
        and {{ "true" if validated_var('activity_mode') == 'subscription' else "false" }}

),

subscriptions_seen as (

    {{ subscriptions_in_window('subscriptions') }}

),

current_mrr as (

    select
        customer_id,
        sum(mrr) as current_mrr

    from subscriptions_seen
    where ended_at is null
    group by customer_id

),

placed as (

    select
        current_spells.customer_id,
        current_spells.spell_started_at,
        grains.period_grain,
        {{ period_start_at_grain('grains.period_grain', 'current_spells.spell_started_at') }} as spell_period_start

    from current_spells
    cross join grains

),

final as (

    select
        placed.customer_id,
        placed.period_grain,
        placed.spell_started_at,
        spell_periods.last_period_index - spell_periods.period_index as tenure_periods,
        current_mrr.current_mrr

    from placed
    inner join numbered_periods as spell_periods
        on
            placed.period_grain = spell_periods.period_grain
            and placed.spell_period_start = spell_periods.period_start
    inner join current_mrr
        on placed.customer_id = current_mrr.customer_id

)

select * from final
