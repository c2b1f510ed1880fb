{#- Number of trailing periods (the current one included) over which CLTV pools churn. -#}
{% macro get_cltv_churn_window_periods() %}
    {%- set text = var('cltv_churn_window_periods') | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', text) or (text | int) < 1 -%}
        {{ exceptions.raise_compiler_error(
            "Variable cltv_churn_window_periods must be a whole number of periods >= 1; got '"
            ~ var('cltv_churn_window_periods') ~ "'."
        ) }}
    {%- endif -%}
    {{ return(text | int) }}
{% endmacro %}
