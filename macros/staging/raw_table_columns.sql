{#-
    The input contract's columns of each raw table (events is optional: raw_table_is_present), {table: [columns]}, in the contract's order
    (README, Input contract): what check_raw_columns requires and what the raw-row reconciliation
    reads. (scripts/demo_data.py COLUMNS is the same list for the Python side.)
-#}
{% macro raw_table_columns() %}
    {{ return({
        'customers': ['customer_id', 'created_at', 'email', 'country', 'acquisition_channel'],
        'subscriptions': ['subscription_id', 'customer_id', 'plan', 'started_at', 'ended_at', 'mrr'],
        'transactions': ['transaction_id', 'customer_id', 'occurred_at', 'amount'],
        'survey_responses': ['response_id', 'customer_id', 'responded_at', 'score', 'comment'],
        'events': ['event_id', 'customer_id', 'event_name', 'occurred_at'],
    }) }}
{% endmacro %}
