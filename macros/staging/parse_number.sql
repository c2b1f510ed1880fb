{#-
    A text value as an exact decimal (numeric); unparseable text gives null.
    data_type is the raw column's type when known (raw_column_types): on DuckDB a column already
    typed as an integer, a decimal of at most 6 places or a floating-point number skips the
    pattern check, with exactly the result its text would give (NaN and infinities are null).
-#}
{% macro parse_number(expression, data_type=none) %}
    {{ return(adapter.dispatch('parse_number', 'customer_retention')(expression, data_type)) }}
{% endmacro %}

{% macro default__parse_number(expression, data_type=none) -%}
    {{ cast_or_null(clean_text(expression), dbt.type_numeric()) }}
{%- endmacro %}

{% macro duckdb__parse_number(expression, data_type=none) -%}
    {%- set typed = (data_type or '') | lower | trim -%}
    {%- set decimal_places = modules.re.fullmatch('decimal\\(\\d+,\\s*(\\d+)\\)', typed) -%}
    {%- if typed in raw_type_names('integer') or (decimal_places and decimal_places.group(1) | int <= 6) -%}
        try_cast({{ expression }} as {{ dbt.type_numeric() }})
    {%- elif typed in raw_type_names('float') -%}
        {#- a float prints as digits, a point and an exponent (or nan, inf): what the pattern allows -#}
        try_cast(cast({{ expression }} as {{ dbt.type_string() }}) as {{ dbt.type_numeric() }})
    {%- else -%}
        {{ default__parse_number(expression) }}
    {%- endif -%}
{%- endmacro %}
