{#- cast(expression as data_type), or null where the value does not convert (instead of an error). -#}
{% macro cast_or_null(expression, data_type) %}
    {{ return(adapter.dispatch('cast_or_null', 'customer_retention')(expression, data_type)) }}
{% endmacro %}

{% macro default__cast_or_null(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
