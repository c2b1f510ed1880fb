{#- Average revenue per (paying) account. Definition: doc block arpa. -#}
{% macro arpa(revenue, paying_customers) -%}
    {{ safe_divide(revenue, paying_customers) }}
{%- endmacro %}
