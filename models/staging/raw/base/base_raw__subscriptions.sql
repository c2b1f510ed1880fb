{#-
    Every raw subscription row, parsed, with its verdict: rejection_reason is null for the row
    staging keeps, else the first rule it breaks (see the doc block rejection_reasons). Checks run
    in this order: the row's own values, then duplicates of its key among rows that pass them, then
    whether its customer was kept. ended_at may lie after the build: a scheduled end.
    Incremental (README, Incremental builds): after the first build, a run judges again only the
    raw rows of customers whose verdicts may have changed (customers_to_rejudge) and the rows
    sharing a key with them (raw_rows_to_rejudge), and replaces theirs (replace_customers).
-#}
{#- The raw table (looked up once) and its columns' types: a typed column skips text parsing. -#}
{%- set raw_rows = raw_table('subscriptions') -%}
{%- set raw_types = raw_column_types(raw_rows) -%}
{#- the raw columns read, hashed into row_hash in this order -#}
{%- set raw_columns = ['subscription_id', 'customer_id', 'plan', 'started_at', 'ended_at', 'mrr'] -%}
{%- set checks = [
    ["subscription_id is null", "missing_key", "subscription_id"],
    ["customer_id is null and " ~ contains_email(clean_text('raw_customer_id')), "email_key_without_salt", "customer_id"],
    ["customer_id is null", "missing_value", "customer_id"],
    ["is_started_at_missing", "missing_value", "started_at"],
    ["started_at is null", "unparseable_timestamp", "started_at"],
    ["started_at < " ~ earliest_plausible_at(), "implausible_date", "started_at"],
    ["started_at > " ~ build_started_at(), "future_timestamp", "started_at"],
    ["not is_ended_at_missing and ended_at is null", "unparseable_timestamp", "ended_at"],
    ["ended_at < " ~ earliest_plausible_at(), "implausible_date", "ended_at"],
    ["ended_at < started_at", "ended_before_started", "ended_at"],
    ["is_mrr_missing", "missing_value", "mrr"],
    ["mrr is null and not " ~ matches_regex(clean_text('raw_mrr'), number_pattern(dbt.type_numeric())), "not_a_number", "mrr"],
    [is_amount_out_of_range('mrr', 'raw_mrr'), "amount_out_of_range", "mrr"],
    ["mrr < 0", "negative_mrr", "mrr"],
] -%}
{#- The staged values parsed from the raw row `source`, beside the key (judged_rows). -#}
{%- set parsed_columns %}
{{ customer_key('source.customer_id') }} as customer_id,
coalesce({{ redacted_text('source.plan') }}, 'unknown') as plan,
coalesce({{ contains_email(clean_text('source.plan')) }}, false) as has_redacted_value,
{{ is_missing('source.mrr', raw_types.get('mrr')) }} as is_mrr_missing,
{{ parse_number('source.mrr', raw_types.get('mrr')) }} as mrr,
{{ is_missing('source.started_at', raw_types.get('started_at')) }} as is_started_at_missing,
{{ parse_timestamp('source.started_at', raw_types.get('started_at')) }} as started_at,
{{ is_missing('source.ended_at', raw_types.get('ended_at')) }} as is_ended_at_missing,
{{ parse_timestamp('source.ended_at', raw_types.get('ended_at')) }} as ended_at
{%- endset -%}
{#- The staged values two rows sharing a key are compared on, and the original values as text. -#}
{%- set staged_content = row_as_json([
    ['customer_id', 'customer_id'],
    ['plan', 'plan'],
    ['mrr', 'mrr'],
    ['started_at', 'started_at'],
    ['ended_at', 'ended_at'],
]) -%}
{%- set raw_values = row_as_json([
    ['subscription_id', 'raw_subscription_id'],
    ['customer_id', redacted_text('raw_customer_id', trimmed=false)],
    ['plan', redacted_text('raw_plan', trimmed=false)],
    ['started_at', 'raw_started_at'],
    ['ended_at', 'raw_ended_at'],
    ['mrr', 'raw_mrr'],
]) -%}

with

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

{% if is_incremental() %}
raw_customer_groups as (

    {{ raw_customer_groups(raw_rows, raw_columns) }}

),

customers_to_rejudge as (

    {{ customers_to_rejudge('raw_customer_groups', 'customer_verdicts', 'started_at') }}

),

{% endif %}
-- not stored in a full build: the key count, the parsing and the duplicate ranking each read
-- what they need; stored in an incremental run, whose few rows are found by scanning the raw table
source as {{ materialized() if is_incremental() else not_materialized() }} (

    {% if is_incremental() %}
    {{ raw_rows_to_rejudge(raw_rows, raw_columns, 'subscription_id', 'raw_customer_groups', 'customers_to_rejudge') }}
    {% else %}
    select
        subscription_id,
        customer_id,
        plan,
        started_at,
        ended_at,
        mrr,
        {{ row_hash(raw_columns) }} as row_hash

    from {{ raw_rows }}
    {% endif %}

),

-- keys_held_twice, parsed, checked, ranked and judged: this table's rules applied
{{ judged_rows(
    key='subscription_id',
    key_expression=clean_text,
    parsed_columns=parsed_columns,
    raw_columns=raw_columns,
    checks=checks,
    kept_first='coalesce(ended_at, started_at) desc',
    staged_content=staged_content,
    raw_values=raw_values,
    customer_verdicts='customer_verdicts',
) }},

final as (

    select
        subscription_id,
        customer_id,
        plan,
        mrr,
        started_at,
        ended_at,
        has_redacted_value,
        rejection_reason,
        rejected_column,
        case when rejection_reason is not null then {{ raw_values }} end as raw_values,
        row_hash

    from judged
    {% if is_incremental() %}
    union all
    {{ replaced_customer_markers(
        ['subscription_id', 'customer_id', 'plan', 'mrr', 'started_at', 'ended_at', 'has_redacted_value', 'rejection_reason', 'rejected_column', 'raw_values', 'row_hash'],
        'customers_to_rejudge',
    ) }}
    {% endif %}

)

select * from final
