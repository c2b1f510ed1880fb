-- The MRR snapshots are runs of periods (period_start to last_period_start): a customer's runs at
-- a grain never share a period, so every period is counted once when readers expand them
-- (run_covers_period). Fails on every run that reaches into the customer's next run.

with

snapshots as (

    select * from {{ ref('int_customer_mrr_period_runs_snapshotted') }}

),

with_next as (

    select
        customer_id,
        period_grain,
        period_start,
        last_period_start,
        lead(period_start) over (
            partition by customer_id, period_grain
            order by period_start
        ) as next_period_start

    from snapshots

),

final as (

    select *
    from with_next
    where next_period_start <= last_period_start

)

select * from final
