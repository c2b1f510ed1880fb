{#-
    Whether a raw value is missing: null, empty or blank text.
    data_type is the raw column's type when known (raw_column_types): a column typed as a number,
    a date, a timestamp or a boolean never prints as blank text, so it is missing exactly when it
    is null, and is not printed as text to find out (17M timestamps at 1M customers).
-#}
{% macro is_missing(expression, data_type=none) -%}
    {%- set typed = (data_type or '') | lower | trim -%}
    {%- set never_blank = [
        'tinyint', 'smallint', 'integer', 'bigint', 'hugeint',
        'utinyint', 'usmallint', 'uinteger', 'ubigint', 'uhugeint',
        'float', 'real', 'double', 'boolean',
        'date', 'timestamp', 'timestamp_s', 'timestamp_ms', 'timestamp_ns', 'datetime',
        'timestamp with time zone', 'timestamptz',
    ] -%}
    {%- if typed in never_blank or typed.startswith('decimal(') -%}
        ({{ expression }} is null)
    {%- else -%}
        ({{ clean_text(expression) }} is null)
    {%- endif -%}
{%- endmacro %}
