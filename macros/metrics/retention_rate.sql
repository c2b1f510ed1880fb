{#- Customer retention rate: ((CE - CN) / CS) * 100; null when CS = 0. -#}
{% macro retention_rate(ce, cn, cs) -%}
    ({{ safe_divide('(' ~ ce ~ ') - (' ~ cn ~ ')', cs) }} * 100)
{%- endmacro %}
