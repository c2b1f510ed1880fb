{#-
    Every raw customer row, parsed, with its verdict: rejection_reason is null for the row staging
    keeps, else the first rule it breaks (see the doc block rejection_reasons). Checks run in this
    order: the row's own values, then duplicates of its key among rows that pass them.
-#}
{%- set checks = [
    ["customer_id is null", "missing_key", "customer_id"],
    ["created_at_text is not null and created_at is null", "unparseable_timestamp", "created_at"],
    ["created_at > " ~ build_started_at(), "future_timestamp", "created_at"],
] -%}

with

source as (

    select * from {{ raw_table('customers') }}

),

parsed as (

    select
        {{ clean_text('customer_id') }} as customer_id,
        coalesce({{ clean_text('country') }}, 'unknown') as country,
        coalesce({{ clean_text('acquisition_channel') }}, 'unknown') as acquisition_channel,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp('created_at') }} as created_at,
        lower({{ clean_text('email') }}) as email_text,
        {{ salted_email_hash('email') }} as email_hash,
        -- the original values; the email address is left out (PII), its salted hash stands in
        {{ row_as_json([
            ['customer_id', 'customer_id'],
            ['created_at', 'created_at'],
            ['email_hash', salted_email_hash('email')],
            ['country', 'country'],
            ['acquisition_channel', 'acquisition_channel'],
        ]) }} as raw_values

    from source

),

checked as (

    select
        *,
        {{ first_failed_check(checks, 'reason') }} as row_rejection_reason,
        {{ first_failed_check(checks, 'column') }} as row_rejected_column,
        {{ row_as_json([
            ['country', 'country'],
            ['acquisition_channel', 'acquisition_channel'],
            ['created_at', 'created_at'],
            ['email', 'email_text'],
        ]) }} as staged_content

    from parsed

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id, row_rejection_reason is null
            order by created_at desc nulls last, staged_content desc, raw_values desc
        ) as key_rank,
        first_value(staged_content) over (
            partition by customer_id, row_rejection_reason is null
            order by created_at desc nulls last, staged_content desc, raw_values desc
            rows between unbounded preceding and unbounded following
        ) as kept_content

    from checked

),

judged as (

    select
        *,
        case
            when row_rejection_reason is not null then row_rejection_reason
            when key_rank > 1 and staged_content = kept_content then 'duplicate_row'
            when key_rank > 1 then 'conflicting_duplicate'
        end as rejection_reason,
        case
            when row_rejection_reason is not null then row_rejected_column
            when key_rank > 1 then 'customer_id'
        end as rejected_column

    from ranked

),

final as (

    select
        customer_id,
        country,
        acquisition_channel,
        created_at,
        email_hash,
        rejection_reason,
        rejected_column,
        case when rejection_reason is not null then raw_values end as raw_values

    from judged

)

select * from final
