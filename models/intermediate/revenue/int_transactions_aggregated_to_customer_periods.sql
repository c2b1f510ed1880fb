{#-
    The transactions up to the end of as_of_date, assigned to periods at each grain of
    period_grains: per customer per period, the net revenue (refunds subtract), whether the
    customer paid (positive net revenue) and the first and last transaction instants. Read by the
    transaction-mode activity (int_customer_period_runs_classified) and by the segment counts
    (revenue, paying customers). An incremental run rebuilds the lookback window's periods only.
-#}
{#-
    In subscription mode only the segment counts read it, summing it by period and segment: a
    view, so 16M rows at 1M customers are not written to be read once (the data tests, which would
    each recompute it, run in transaction mode; see the YAML). In transaction mode it is the
    activity, stored like the other per-customer-per-period models (dbt_project.yml).
-#}
{%- if validated_var('activity_mode') == 'subscription' %}
{{ config(materialized='view') }}
{%- endif %}
-- depends_on: {{ ref('int_periods_spined') }}

with

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

{% if is_incremental() %}
periods as (

    select * from {{ ref('int_periods_spined') }}

),

-- the periods of the lookback window (incremental_window)
periods_in_run as (

    {{ periods_to_build('periods') }}

),

{% endif %}
in_window as (

    select
        customer_id,
        amount,
        occurred_at

    from transactions
    where occurred_at < {{ as_of_end_at() }}

),

assigned_to_periods as (

    {% for grain in validated_var('period_grains') %}
    select
        customer_id,
        amount,
        occurred_at,
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'occurred_at') }} as date) as period_start
    from in_window
    {% if is_incremental() %}
    -- every grain's window starts on or after the earliest one
    where occurred_at >= (select cast(min(periods_in_run.period_start) as timestamp) from periods_in_run)
    {% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        assigned_to_periods.customer_id,
        assigned_to_periods.period_grain,
        assigned_to_periods.period_start,
        count(*) as transaction_count,
        cast(sum(assigned_to_periods.amount) as {{ dbt.type_numeric() }}) as revenue,
        sum(assigned_to_periods.amount) > 0 as is_paying,
        min(assigned_to_periods.occurred_at) as first_occurred_at,
        max(assigned_to_periods.occurred_at) as last_occurred_at

    from assigned_to_periods
    {% if is_incremental() %}
    inner join periods_in_run
        on
            assigned_to_periods.period_grain = periods_in_run.period_grain
            and assigned_to_periods.period_start = periods_in_run.period_start
    {% endif %}
    group by assigned_to_periods.customer_id, assigned_to_periods.period_grain, assigned_to_periods.period_start

)

select * from final
