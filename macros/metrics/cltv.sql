{#- Simple customer lifetime value, from a churn rate in percent. Definition: doc block cltv. -#}
{% macro cltv(arpa, gross_margin, churn_rate_pct) -%}
    {{ safe_divide('(' ~ arpa ~ ') * (' ~ gross_margin ~ ')', '(' ~ churn_rate_pct ~ ') / 100') }}
{%- endmacro %}
