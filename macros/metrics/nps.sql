{#- Net Promoter Score: (promoters - detractors) / responses * 100, in -100..100; null with no responses. -#}
{% macro nps(promoters, detractors, responses) -%}
    ({{ safe_divide('(' ~ promoters ~ ') - (' ~ detractors ~ ')', responses) }} * 100)
{%- endmacro %}
