{#-
    Every raw product-usage event row, parsed, with its verdict: rejection_reason is null for the
    row staging keeps, else the first rule it breaks (see the doc block rejection_reasons). Checks
    run in this order, as for the other raw tables: the row's own values, then duplicates of its
    key among rows that pass them (a repeated event_id is one event), then whether its customer
    was kept. An event name that looks like an email address is kept as 'redacted'.
    The events table is optional (raw_table_is_present): without it this table is empty.
-#}
{#- The raw table (looked up once) and its columns' types: a typed column skips text parsing. -#}
{%- set raw_rows = raw_table('events') -%}
{%- set raw_types = raw_column_types(raw_rows) -%}
{#- the raw columns read, hashed into row_hash in this order -#}
{%- set raw_columns = ['event_id', 'customer_id', 'event_name', 'occurred_at'] -%}
{%- set checks = [
    ["event_id is null", "missing_key", "event_id"],
    ["customer_id is null and " ~ contains_email(clean_text('raw_customer_id')), "email_key_without_salt", "customer_id"],
    ["customer_id is null", "missing_value", "customer_id"],
    ["event_name is null", "missing_value", "event_name"],
    ["is_occurred_at_missing", "missing_value", "occurred_at"],
    ["occurred_at is null", "unparseable_timestamp", "occurred_at"],
    ["occurred_at < " ~ earliest_plausible_at(), "implausible_date", "occurred_at"],
    ["occurred_at > " ~ build_started_at(), "future_timestamp", "occurred_at"],
] -%}
{#- The staged values parsed from the raw row `source`, beside the key (judged_rows). -#}
{%- set parsed_columns %}
{{ customer_key('source.customer_id') }} as customer_id,
{{ redacted_text('source.event_name') }} as event_name,
coalesce({{ contains_email(clean_text('source.event_name')) }}, false) as has_redacted_value,
{{ is_missing('source.occurred_at', raw_types.get('occurred_at')) }} as is_occurred_at_missing,
{{ parse_timestamp('source.occurred_at', raw_types.get('occurred_at')) }} as occurred_at
{%- endset -%}
{#- The staged values two rows sharing a key are compared on, and the original values as text. -#}
{%- set staged_content = row_as_json([
    ['customer_id', 'customer_id'],
    ['event_name', 'event_name'],
    ['occurred_at', 'occurred_at'],
]) -%}
{%- set raw_values = row_as_json([
    ['event_id', redacted_text('raw_event_id', trimmed=false)],
    ['customer_id', redacted_text('raw_customer_id', trimmed=false)],
    ['event_name', redacted_text('raw_event_name', trimmed=false)],
    ['occurred_at', 'raw_occurred_at'],
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

-- not stored: the key count, the parsing and the duplicate ranking each read what they need
source as {{ not_materialized() }} (

    select
        event_id,
        customer_id,
        event_name,
        occurred_at,
        {{ row_hash(raw_columns) }} as row_hash

    from {{ raw_rows }}

),

-- keys_held_twice, parsed, checked, ranked and judged: this table's rules applied
{{ judged_rows(
    key='event_id',
    key_expression=clean_text,
    parsed_columns=parsed_columns,
    raw_columns=raw_columns,
    checks=checks,
    kept_first='occurred_at asc',
    staged_content=staged_content,
    raw_values=raw_values,
    customer_verdicts='customer_verdicts',
) }},

final as (

    select
        event_id,
        customer_id,
        event_name,
        occurred_at,
        has_redacted_value,
        rejection_reason,
        rejected_column,
        case when rejection_reason is not null then {{ raw_values }} end as raw_values,
        row_hash

    from judged

)

select * from final
