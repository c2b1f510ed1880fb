{#-
    Every raw customer row, parsed, with its verdict: rejection_reason is null for the row staging
    keeps, else the first rule it breaks (see the doc block rejection_reasons). Checks run in this
    order: the row's own values, then duplicates of its key among rows that pass them.
-#}
{#- The raw table (looked up once) and its columns' types: a typed column skips text parsing. -#}
{%- set raw_rows = raw_table('customers') -%}
{%- set raw_types = raw_column_types(raw_rows) -%}
{#- the raw columns the checks and raw_values read as raw_<column> -#}
{%- set raw_columns = ['customer_id', 'created_at', 'country', 'acquisition_channel'] -%}
{%- set checks = [
    ["customer_id is null and " ~ contains_email(clean_text('raw_customer_id')), "email_key_without_salt", "customer_id"],
    ["customer_id is null", "missing_key", "customer_id"],
    ["not is_created_at_missing and created_at is null", "unparseable_timestamp", "created_at"],
    ["created_at < " ~ earliest_plausible_at(), "implausible_date", "created_at"],
    ["created_at > " ~ build_started_at(), "future_timestamp", "created_at"],
] -%}
{#- The staged values parsed from the raw row `source`, beside the key (judged_rows). -#}
{%- set parsed_columns %}
coalesce({{ redacted_text('source.country') }}, 'unknown') as country,
coalesce({{ redacted_text('source.acquisition_channel') }}, 'unknown') as acquisition_channel,
{{ is_missing('source.created_at', raw_types.get('created_at')) }} as is_created_at_missing,
{{ parse_timestamp('source.created_at', raw_types.get('created_at')) }} as created_at,
coalesce(
    {{ contains_email(clean_text('source.country')) }}
    or {{ contains_email(clean_text('source.acquisition_channel')) }},
    false
) as has_redacted_value,
lower({{ clean_text('source.email') }}) as email_text,
{{ salted_email_hash('source.email') }} as email_hash
{%- endset -%}
{#- The staged values two rows sharing a key are compared on (never stored), and the original
    values as text, where the email address is left out (PII) and its salted hash stands in. -#}
{%- set staged_content = row_as_json([
    ['country', 'country'],
    ['acquisition_channel', 'acquisition_channel'],
    ['created_at', 'created_at'],
    ['email', 'email_text'],
]) -%}
{%- set raw_values = row_as_json([
    ['customer_id', redacted_text('raw_customer_id', trimmed=false)],
    ['created_at', 'raw_created_at'],
    ['email_hash', 'email_hash'],
    ['country', redacted_text('raw_country', trimmed=false)],
    ['acquisition_channel', redacted_text('raw_acquisition_channel', trimmed=false)],
]) -%}

with

-- not stored: the key count, the parsing and the duplicate ranking each read what they need
source as {{ not_materialized() }} (

    select * from {{ raw_rows }}

),

-- keys_held_twice, parsed, checked, ranked and judged: this table's rules applied
{{ judged_rows(
    key='customer_id',
    key_expression=customer_key,
    parsed_columns=parsed_columns,
    raw_columns=raw_columns,
    checks=checks,
    kept_first='created_at desc nulls last',
    staged_content=staged_content,
    raw_values=raw_values,
    carries_row_hash=false,
) }},

final as (

    select
        customer_id,
        country,
        acquisition_channel,
        created_at,
        email_hash,
        has_redacted_value,
        rejection_reason,
        rejected_column,
        case when rejection_reason is not null then {{ raw_values }} end as raw_values

    from judged

)

select * from final
