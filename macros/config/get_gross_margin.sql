{#- Gross margin as a fraction of revenue (1.0 = revenue lifetime value). A negative margin keeps its sign. -#}
{% macro get_gross_margin() %}
    {%- set text = var('gross_margin') | string | trim -%}
    {%- if not modules.re.match('^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$', text) -%}
        {{ exceptions.raise_compiler_error(
            "Variable gross_margin must be a number such as 1.0 or 0.7; got '" ~ var('gross_margin') ~ "'."
        ) }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
