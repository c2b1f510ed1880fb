{#-
    A double rounded to `decimals` places, halves away from zero, the same on every engine: the
    value goes through decimal(38, 9), because PostgreSQL rounds only numerics and DuckDB's
    double round can differ from it on a half (3.125 -> 3.13 everywhere).
-#}
{% macro rounded(expression, decimals) -%}
    cast(round(cast({{ expression }} as decimal(38, 9)), {{ decimals }}) as {{ type_double() }})
{%- endmacro %}
