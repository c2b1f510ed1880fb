{#- Average revenue per paying account: revenue / paying customers; null with no paying customer. -#}
{% macro arpa(revenue, paying_customers) -%}
    {{ safe_divide(revenue, paying_customers) }}
{%- endmacro %}
