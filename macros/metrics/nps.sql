{#- Net Promoter Score. Definition: doc block nps. -#}
{% macro nps(promoters, detractors, responses) -%}
    {{ percentage('(' ~ promoters ~ ') - (' ~ detractors ~ ')', responses) }}
{%- endmacro %}
