{#- Expected customer lifetime, in periods. Definition: doc block expected_lifetime_periods. -#}
{% macro expected_lifetime_periods(churn_rate_pct) -%}
    {{ safe_divide('100', churn_rate_pct) }}
{%- endmacro %}
