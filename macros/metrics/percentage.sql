{#- part / whole * 100; null when whole is 0. -#}
{% macro percentage(part, whole) -%}
    ({{ safe_divide(part, whole) }} * 100)
{%- endmacro %}
