{#-
    How many periods before the one containing as_of_date an incremental run rebuilds (at each
    grain), besides every period since the last one built. Default 2. See incremental_window.
-#}
{% macro get_incremental_lookback_periods() %}
    {%- set text = var('incremental_lookback_periods') | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', text) -%}
        {{ exceptions.raise_compiler_error(
            "Variable incremental_lookback_periods must be a whole number of periods >= 0; got '"
            ~ var('incremental_lookback_periods') ~ "'."
        ) }}
    {%- endif -%}
    {{ return(text | int) }}
{% endmacro %}
