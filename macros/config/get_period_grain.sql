{#- The reporting grain, validated once so a typo fails at compile time with a clear message. -#}
{% macro get_period_grain() %}
    {%- set grain = (var('period_grain') | string | trim | lower) -%}
    {%- set allowed = ['day', 'week', 'month', 'quarter', 'year'] -%}
    {%- if grain not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "Variable period_grain must be one of " ~ allowed | join(', ')
            ~ "; got '" ~ var('period_grain') ~ "'."
        ) }}
    {%- endif -%}
    {{ return(grain) }}
{% endmacro %}
