{#- Half-width of the normal-approximation confidence interval of NPS: z * SE (z = 1.96 for 95%). -#}
{% macro nps_margin_of_error(standard_error, z=1.96) %}
    {{ return(adapter.dispatch('nps_margin_of_error', 'customer_retention')(standard_error, z)) }}
{% endmacro %}

{% macro default__nps_margin_of_error(standard_error, z) -%}
    ({{ z }} * ({{ standard_error }}))
{%- endmacro %}
