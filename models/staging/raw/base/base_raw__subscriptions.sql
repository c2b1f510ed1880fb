{#-
    Every raw subscription row, parsed, with its verdict: rejection_reason is null for the row
    staging keeps, else the first rule it breaks (see the doc block rejection_reasons). Checks run
    in this order: the row's own values, then duplicates of its key among rows that pass them, then
    whether its customer was kept. ended_at may lie after the build: a scheduled end.
-#}
{%- set checks = [
    ["subscription_id is null", "missing_key", "subscription_id"],
    ["customer_id is null", "missing_value", "customer_id"],
    ["started_at_text is null", "missing_value", "started_at"],
    ["started_at is null", "unparseable_timestamp", "started_at"],
    ["started_at > " ~ build_started_at(), "future_timestamp", "started_at"],
    ["ended_at_text is not null and ended_at is null", "unparseable_timestamp", "ended_at"],
    ["ended_at < started_at", "ended_before_started", "ended_at"],
    ["mrr_text is null", "missing_value", "mrr"],
    ["mrr is null", "not_a_number", "mrr"],
    ["mrr < 0", "negative_mrr", "mrr"],
] -%}

with

source as (

    select * from {{ raw_table('subscriptions') }}

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
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('customer_id') }} as customer_id,
        coalesce({{ clean_text('plan') }}, 'unknown') as plan,
        {{ clean_text('mrr') }} as mrr_text,
        {{ parse_number('mrr') }} as mrr,
        {{ clean_text('started_at') }} as started_at_text,
        {{ parse_timestamp('started_at') }} as started_at,
        {{ clean_text('ended_at') }} as ended_at_text,
        {{ parse_timestamp('ended_at') }} as ended_at,
        {{ row_as_json([
            ['subscription_id', 'subscription_id'],
            ['customer_id', 'customer_id'],
            ['plan', 'plan'],
            ['started_at', 'started_at'],
            ['ended_at', 'ended_at'],
            ['mrr', 'mrr'],
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
            ['plan', 'plan'],
            ['mrr', 'mrr'],
            ['started_at', 'started_at'],
            ['ended_at', 'ended_at'],
        ]) }} as staged_content,
        coalesce(ended_at, started_at) as latest_at

    from parsed

),

ranked as (

    select
        *,
        row_number() over (
            partition by subscription_id, row_rejection_reason is null
            order by latest_at desc, staged_content desc, raw_values desc
        ) as key_rank,
        first_value(staged_content) over (
            partition by subscription_id, row_rejection_reason is null
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
            when ranked.key_rank > 1 then 'subscription_id'
            when customer_verdicts.has_kept_row is null or customer_verdicts.has_kept_row = 0 then 'customer_id'
        end as rejected_column

    from ranked
    left join customer_verdicts
        on ranked.customer_id = customer_verdicts.customer_id

),

final as (

    select
        subscription_id,
        customer_id,
        plan,
        mrr,
        started_at,
        ended_at,
        rejection_reason,
        rejected_column,
        case when rejection_reason is not null then raw_values end as raw_values

    from judged

)

select * from final
