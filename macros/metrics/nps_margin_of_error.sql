{#- Half-width of the normal-approximation confidence interval of NPS: z * SE (z = 1.96 for 95%). -#}
{% macro nps_margin_of_error(standard_error, z=1.96) -%}
    ({{ z }} * ({{ standard_error }}))
{%- endmacro %}
