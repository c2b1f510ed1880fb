{#- Half-width of the NPS confidence interval, z standard errors. Definition: doc block nps_margin_of_error_95. -#}
{% macro nps_margin_of_error(standard_error, z=1.96) -%}
    ({{ z }} * ({{ standard_error }}))
{%- endmacro %}
