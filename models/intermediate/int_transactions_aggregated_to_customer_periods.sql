{#-
    The transactions up to the end of as_of_date, assigned to periods at each grain of
    period_grains, once for every model that needs them: per customer per period, the net
    revenue (refunds subtract), whether the customer paid (positive net revenue) and the first
    and last transaction instants.
-#}

with

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

-- every period, or on an incremental run the lookback window's (incremental_window)
periods_in_run as (

    {{ periods_to_build('periods') }}

),

in_window as (

    select
        customer_id,
        amount,
        occurred_at

    from transactions
    where
        occurred_at < {{ as_of_end_at() }}
        and occurred_at >= (select cast(min(periods_in_run.period_start) as timestamp) from periods_in_run)

),

assigned_to_periods as (

    {% for grain in get_period_grains() %}
    select
        customer_id,
        amount,
        occurred_at,
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'occurred_at') }} as date) as period_start
    from in_window
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

in_run as (

    select assigned_to_periods.*
    from assigned_to_periods
    inner join periods_in_run
        on
            assigned_to_periods.period_grain = periods_in_run.period_grain
            and assigned_to_periods.period_start = periods_in_run.period_start

),

final as (

    select
        customer_id,
        period_grain,
        period_start,
        count(*) as transaction_count,
        cast(sum(amount) as {{ dbt.type_numeric() }}) as revenue,
        sum(amount) > 0 as is_paying,
        min(occurred_at) as first_occurred_at,
        max(occurred_at) as last_occurred_at

    from in_run
    group by customer_id, period_grain, period_start

)

select * from final
