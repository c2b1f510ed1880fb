{#- A text value as an exact decimal (numeric); unparseable text gives null. -#}
{% macro parse_number(expression) %}
    {{ return(adapter.dispatch('parse_number', 'customer_retention')(expression)) }}
{% endmacro %}

{% macro default__parse_number(expression) -%}
    {{ cast_or_null(clean_text(expression), dbt.type_numeric()) }}
{%- endmacro %}
