{#-
    The subscriptions as the reporting window sees them, from a relation or CTE with the staged
    subscription columns: those starting before the end of as_of_date (a later start has not
    happened yet), with ended_at null when the subscription ends at or after it (that end has not
    happened yet), and without subscriptions that end when they start (never active at any
    instant). Every reader of subscription activity (spells, MRR spans) goes through it, so they
    agree on who was active when.
-#}
{% macro subscriptions_in_window(subscriptions) %}
    {%- set as_of_end = as_of_end_at() -%}
    select
        customer_id,
        subscription_id,
        plan,
        mrr,
        started_at,
        case when ended_at < {{ as_of_end }} then ended_at end as ended_at
    from {{ subscriptions }}
    where
        started_at < {{ as_of_end }}
        and (ended_at is null or ended_at > started_at)
{% endmacro %}
