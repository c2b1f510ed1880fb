{#-
    Every raw survey response row, parsed, with its verdict: rejection_reason is null for the row
    staging keeps, else the first rule it breaks (see the doc block rejection_reasons). Checks run
    in this order: the row's own values, then duplicates of its key among rows that pass them, then
    whether its customer was kept. A score must be a whole number from 0 to 10.
    Incremental (README, Incremental builds): after the first build, a run judges again only the
    raw rows of customers whose verdicts may have changed (customers_to_rejudge) and the rows
    sharing a key with them (raw_rows_to_rejudge), and replaces theirs (replace_customers).
-#}
{#- The raw table (looked up once) and its columns' types: a typed column skips text parsing. -#}
{%- set raw_rows = raw_table('survey_responses') -%}
{%- set raw_types = raw_column_types(raw_rows) -%}
{#- the raw columns read, hashed into row_hash in this order -#}
{%- set raw_columns = ['response_id', 'customer_id', 'responded_at', 'score', 'comment'] -%}
{%- set checks = [
    ["response_id is null", "missing_key", "response_id"],
    ["customer_id is null and " ~ contains_email(clean_text('raw_customer_id')), "email_key_without_salt", "customer_id"],
    ["customer_id is null", "missing_value", "customer_id"],
    ["is_responded_at_missing", "missing_value", "responded_at"],
    ["responded_at is null", "unparseable_timestamp", "responded_at"],
    ["responded_at < " ~ earliest_plausible_at(), "implausible_date", "responded_at"],
    ["responded_at > " ~ build_started_at(), "future_timestamp", "responded_at"],
    ["is_score_missing", "missing_value", "score"],
    ["score_number is null", "not_a_number", "score"],
    ["score_number != floor(score_number)", "score_not_whole", "score"],
    ["score_number < 0 or score_number > 10", "score_out_of_range", "score"],
] -%}
{#- The staged values parsed from the raw row `source`, beside the key (judged_rows). -#}
{%- set parsed_columns %}
{{ customer_key('source.customer_id') }} as customer_id,
{{ is_missing('source.score', raw_types.get('score')) }} as is_score_missing,
{{ parse_number('source.score', raw_types.get('score')) }} as score_number,
{{ clean_text('source.comment') }} as response_comment,
{{ is_missing('source.responded_at', raw_types.get('responded_at')) }} as is_responded_at_missing,
{{ parse_timestamp('source.responded_at', raw_types.get('responded_at')) }} as responded_at
{%- endset -%}
{#- The staged values two rows sharing a key are compared on, and the original values as text. -#}
{%- set staged_content = row_as_json([
    ['customer_id', 'customer_id'],
    ['score', 'score_number'],
    ['response_comment', 'response_comment'],
    ['responded_at', 'responded_at'],
]) -%}
{%- set raw_values = row_as_json([
    ['response_id', 'raw_response_id'],
    ['customer_id', redacted_text('raw_customer_id', trimmed=false)],
    ['responded_at', 'raw_responded_at'],
    ['score', 'raw_score'],
    ['comment', redacted_text('raw_comment', trimmed=false)],
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

    {{ customers_to_rejudge('raw_customer_groups', 'customer_verdicts', 'responded_at') }}

),

{% endif %}
-- not stored in a full build: the key count, the parsing and the duplicate ranking each read
-- what they need; stored in an incremental run, whose few rows are found by scanning the raw table
source as {{ materialized() if is_incremental() else not_materialized() }} (

    {% if is_incremental() %}
    {{ raw_rows_to_rejudge(raw_rows, raw_columns, 'response_id', 'raw_customer_groups', 'customers_to_rejudge') }}
    {% else %}
    select
        response_id,
        customer_id,
        responded_at,
        score,
        comment,
        {{ row_hash(raw_columns) }} as row_hash

    from {{ raw_rows }}
    {% endif %}

),

-- keys_held_twice, parsed, checked, ranked and judged: this table's rules applied
{{ judged_rows(
    key='response_id',
    key_expression=clean_text,
    parsed_columns=parsed_columns,
    raw_columns=raw_columns,
    checks=checks,
    kept_first='responded_at desc',
    staged_content=staged_content,
    raw_values=raw_values,
    customer_verdicts='customer_verdicts',
) }},

final as (

    select
        response_id,
        customer_id,
        -- a kept score is a whole number from 0 to 10, so the cast cannot overflow
        cast(case when rejection_reason is null then score_number end as {{ dbt.type_int() }}) as score,
        response_comment,
        responded_at,
        rejection_reason,
        rejected_column,
        case when rejection_reason is not null then {{ raw_values }} end as raw_values,
        row_hash

    from judged
    {% if is_incremental() %}
    union all
    {{ replaced_customer_markers(
        ['response_id', 'customer_id', 'score', 'response_comment', 'responded_at', 'rejection_reason', 'rejected_column', 'raw_values', 'row_hash'],
        'customers_to_rejudge',
    ) }}
    {% endif %}

)

select * from final
