{#-
    Every raw product-usage event row, parsed, with the verdict of its own values and its key:
    row_rejection_reason is null for a row that passes them, else the first rule it breaks (see
    the doc block rejection_reasons): its own values, then duplicates of its key among rows that
    pass them (a repeated event_id is one event: the row of the first file by name, or the first
    loaded, is kept, then the earliest). Whether its customer was kept is judged on reading, by base_raw__events,
    so that a change in the customers never leaves a stored verdict stale. An event name that
    looks like an email address is kept as 'redacted'.
    Incremental in raw_source files (dbt_project.yml): a run reads only the event files it has
    not read before (unread_raw_event_rows) and appends their rows; in raw_source tables with
    events_loaded_at_column, the rows loaded after the latest it read. A key already held by an
    earlier row is a duplicate. Elsewhere, rebuilt in full.
    The events table is optional (raw_table_is_present): without it this table is empty.
-#}
{#- The raw table (looked up once) and its columns' types: a typed column skips text parsing. -#}
{%- set raw_rows = unread_raw_event_rows(this if is_incremental() else none) -%}
{%- set raw_types = raw_column_types(raw_table('events')) -%}
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
{#- read by load time (raw_source tables, events_loaded_at_column): a row without one would be
    read by a full build and never by a daily run -#}
{%- set loaded_at = validated_var('events_loaded_at_column') -%}
{%- if validated_var('raw_source') == 'tables' and loaded_at -%}
    {%- do checks.append(["source_loaded_at is null", "missing_value", loaded_at | lower]) -%}
{%- endif -%}
{#- The staged values parsed from the raw row `source`, beside the key (judged_rows). -#}
{%- set parsed_columns %}
{{ customer_key('source.customer_id') }} as customer_id,
{{ redacted_text('source.event_name') }} as event_name,
coalesce({{ contains_email(clean_text('source.event_name')) }}, false) as has_redacted_value,
{{ is_missing('source.occurred_at', raw_types.get('occurred_at')) }} as is_occurred_at_missing,
{{ parse_timestamp('source.occurred_at', raw_types.get('occurred_at')) }} as occurred_at,
source.source_file,
source.source_loaded_at
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

-- not stored: the key count, the parsing and the duplicate ranking each read what they need
source as {{ not_materialized() }} (

    select
        event_id,
        customer_id,
        event_name,
        occurred_at,
        source_file,
        source_loaded_at,
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
    kept_first='source_file asc, source_loaded_at asc, occurred_at asc',
    staged_content=staged_content,
    raw_values=raw_values,
) }},

{% if is_incremental() %}
-- a key an earlier run kept (or rejected only for its customer) stays with that row
earlier_rows as (

    select
        event_id,
        customer_id,
        event_name,
        occurred_at

    from {{ this }}
    where row_rejection_reason is null

),

{% endif %}

final as (

    select
        judged.event_id,
        judged.customer_id,
        judged.event_name,
        judged.occurred_at,
        judged.has_redacted_value,
        {%- if is_incremental() %}
        case
            when judged.rejection_reason is null and earlier_rows.event_id is not null
                and judged.customer_id = earlier_rows.customer_id
                and judged.event_name = earlier_rows.event_name
                and judged.occurred_at = earlier_rows.occurred_at
                then 'duplicate_row'
            when judged.rejection_reason is null and earlier_rows.event_id is not null
                then 'conflicting_duplicate'
            else judged.rejection_reason
        end as row_rejection_reason,
        case
            when judged.rejection_reason is null and earlier_rows.event_id is not null then 'event_id'
            else judged.rejected_column
        end as row_rejected_column,
        {%- else %}
        judged.rejection_reason as row_rejection_reason,
        judged.rejected_column as row_rejected_column,
        {%- endif %}
        {%- if is_incremental() %}
        case
            when judged.rejection_reason is not null or earlier_rows.event_id is not null then {{ raw_values }}
        end as raw_values,
        {%- else %}
        case when judged.rejection_reason is not null then {{ raw_values }} end as raw_values,
        {%- endif %}
        judged.source_file,
        judged.source_loaded_at,
        cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S') }}' as timestamp) as ingested_at,
        judged.row_hash

    from judged
    {%- if is_incremental() %}
    left join earlier_rows
        on judged.event_id = earlier_rows.event_id
    {%- endif %}

)

select * from final
