{#- NPS category of a 0-10 score, null outside it. Definition: doc blocks promoters, passives, detractors. -#}
{% macro nps_category(score) -%}
    case
        when {{ score }} between 9 and 10 then 'promoter'
        when {{ score }} between 7 and 8 then 'passive'
        when {{ score }} between 0 and 6 then 'detractor'
    end
{%- endmacro %}
