{#- subscription (active while a subscription runs) or transaction (active in a period with a transaction). -#}
{% macro get_activity_mode() %}
    {%- set mode = (var('activity_mode') | string | trim | lower) -%}
    {%- if mode not in ['subscription', 'transaction'] -%}
        {{ exceptions.raise_compiler_error(
            "Variable activity_mode must be 'subscription' or 'transaction'; got '"
            ~ var('activity_mode') ~ "'."
        ) }}
    {%- endif -%}
    {{ return(mode) }}
{% endmacro %}
