{#- A raw value as trimmed text; empty or blank becomes null. -#}
{% macro clean_text(expression) %}
    {{ return(adapter.dispatch('clean_text', 'customer_retention')(expression)) }}
{% endmacro %}

{% macro default__clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
