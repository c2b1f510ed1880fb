{#- A text value as an integer; null unless it is a whole number ('7' and '7.0' parse, '7.5' does not). -#}
{% macro parse_whole_number(expression) %}
    {{ return(adapter.dispatch('parse_whole_number', 'customer_retention')(expression)) }}
{% endmacro %}

{% macro default__parse_whole_number(expression) -%}
    {%- set number = parse_number(expression) -%}
    cast(case when {{ number }} = floor({{ number }}) then {{ number }} end as {{ dbt.type_int() }})
{%- endmacro %}
