{#- Customer retention rate, in percent. Definition: doc block retention_rate_pct. -#}
{% macro retention_rate(ce, cn, cs) -%}
    {{ percentage('(' ~ ce ~ ') - (' ~ cn ~ ')', cs) }}
{%- endmacro %}
