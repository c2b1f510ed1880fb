{%- set keys = {
    'customers': 'customer_id',
    'subscriptions': 'subscription_id',
    'transactions': 'transaction_id',
    'survey_responses': 'response_id',
} -%}

with

{% for table, key in keys.items() %}
{{ table }} as (

    select * from {{ ref('base_raw__' ~ table) }}

),

{% endfor %}
quarantined as (

    {% for table, key in keys.items() %}
    select
        '{{ table }}' as source_table,
        {{ key }} as row_key,
        customer_id,
        rejection_reason,
        rejected_column,
        raw_values

    from {{ table }}
    where rejection_reason is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from quarantined

)

select * from final
