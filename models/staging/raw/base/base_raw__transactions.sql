{#-
    Every raw transaction row, parsed, with its verdict: rejection_reason is null for the row
    staging keeps, else the first rule it breaks (see the doc block rejection_reasons). Checks run
    in this order: the row's own values, then duplicates of its key among rows that pass them, then
    whether its customer was kept. A negative amount is a refund, not an error.
-#}
{%- set checks = [
    ["transaction_id is null", "missing_key", "transaction_id"],
    ["customer_id is null", "missing_value", "customer_id"],
    ["occurred_at_text is null", "missing_value", "occurred_at"],
    ["occurred_at is null", "unparseable_timestamp", "occurred_at"],
    ["occurred_at > " ~ build_started_at(), "future_timestamp", "occurred_at"],
    ["amount_text is null", "missing_value", "amount"],
    ["amount is null", "not_a_number", "amount"],
] -%}

with

source as (

    select * from {{ raw_table('transactions') }}

),

customers as (

    select * from {{ ref('base_raw__customers') }}

),

customer_verdicts as (

    select
        customer_id,
        max(case when rejection_reason is null then 1 else 0 end) as has_kept_row

    from customers
    where customer_id is not null
    group by customer_id

),

parsed as (

    select
        {{ clean_text('transaction_id') }} as transaction_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('amount') }} as amount_text,
        {{ parse_number('amount') }} as amount,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ parse_timestamp('occurred_at') }} as occurred_at,
        {{ row_as_json([
            ['transaction_id', 'transaction_id'],
            ['customer_id', 'customer_id'],
            ['occurred_at', 'occurred_at'],
            ['amount', 'amount'],
        ]) }} as raw_values

    from source

),

checked as (

    select
        *,
        {{ first_failed_check(checks, 'reason') }} as row_rejection_reason,
        {{ first_failed_check(checks, 'column') }} as row_rejected_column,
        {{ row_as_json([
            ['customer_id', 'customer_id'],
            ['amount', 'amount'],
            ['occurred_at', 'occurred_at'],
        ]) }} as staged_content,
        occurred_at as latest_at

    from parsed

),

ranked as (

    select
        *,
        row_number() over (
            partition by transaction_id, row_rejection_reason is null
            order by latest_at desc, staged_content desc, raw_values desc
        ) as key_rank,
        first_value(staged_content) over (
            partition by transaction_id, row_rejection_reason is null
            order by latest_at desc, staged_content desc, raw_values desc
            rows between unbounded preceding and unbounded following
        ) as kept_content

    from checked

),

judged as (

    select
        ranked.*,
        case
            when ranked.row_rejection_reason is not null then ranked.row_rejection_reason
            when ranked.key_rank > 1 and ranked.staged_content = ranked.kept_content then 'duplicate_row'
            when ranked.key_rank > 1 then 'conflicting_duplicate'
            when customer_verdicts.customer_id is null then 'orphan_customer'
            when customer_verdicts.has_kept_row = 0 then 'customer_rejected'
        end as rejection_reason,
        case
            when ranked.row_rejection_reason is not null then ranked.row_rejected_column
            when ranked.key_rank > 1 then 'transaction_id'
            when customer_verdicts.has_kept_row is null or customer_verdicts.has_kept_row = 0 then 'customer_id'
        end as rejected_column

    from ranked
    left join customer_verdicts
        on ranked.customer_id = customer_verdicts.customer_id

),

final as (

    select
        transaction_id,
        customer_id,
        amount,
        occurred_at,
        rejection_reason,
        rejected_column,
        case when rejection_reason is not null then raw_values end as raw_values

    from judged

)

select * from final
