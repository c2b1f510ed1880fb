{#- Churn rate: churned / CS * 100 (= 100 - retention rate); null when CS = 0. -#}
{% macro churn_rate(churned, cs) -%}
    {{ percentage(churned, cs) }}
{%- endmacro %}
