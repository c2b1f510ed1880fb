{%- set keys = {
    'customers': 'customer_id',
    'subscriptions': 'subscription_id',
    'transactions': 'transaction_id',
    'survey_responses': 'response_id',
    'events': 'event_id',
} -%}

with

{% for table, key in keys.items() %}
{{ table }} as (

    select * from {{ ref('base_raw__' ~ table) }}

),

{% endfor %}
malformed_lines as (

    select * from {{ ref('base_raw__malformed_lines') }}

),

quarantined as (

    {% for table, key in keys.items() %}
    select
        '{{ table }}' as source_table,
        {{ key }} as row_key,
        customer_id,
        rejection_reason,
        rejected_column,
        raw_values,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as line_number

    from {{ table }}
    where rejection_reason is not null
    union all
    {% endfor %}
    -- the CSV lines the reader could not split into the header's columns
    select
        source_table,
        cast(null as {{ dbt.type_string() }}) as row_key,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        rejection_reason,
        rejected_column,
        {{ row_as_json([['csv_line', 'raw_line']]) }} as raw_values,
        source_file,
        line_number

    from malformed_lines

),

final as (

    select * from quarantined

)

select * from final
