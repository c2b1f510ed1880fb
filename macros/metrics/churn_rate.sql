{#- Customer churn rate, in percent. Definition: doc block churn_rate_pct. -#}
{% macro churn_rate(churned, cs) -%}
    {{ percentage(churned, cs) }}
{%- endmacro %}
