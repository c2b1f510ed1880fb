{#- Expected customer lifetime in periods: 1 / churn rate (as a fraction); null when churn is 0 or unknown. -#}
{% macro expected_lifetime_periods(churn_rate_pct) -%}
    {{ safe_divide('100', churn_rate_pct) }}
{%- endmacro %}
