{#- numerator / denominator as a double, or null when the denominator is 0 or null (never an error). -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as {{ type_double() }}) / nullif(cast(({{ denominator }}) as {{ type_double() }}), 0))
{%- endmacro %}
