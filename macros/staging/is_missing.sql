{#-
    Whether a raw value is missing: null, empty or blank text.
    data_type is the raw column's type when known (raw_column_types): a column typed as a number,
    a date, a timestamp or a boolean never prints as blank text, so it is missing exactly when it
    is null, and is not printed as text to find out (17M timestamps at 1M customers).
-#}
{% macro is_missing(expression, data_type=none) -%}
    {%- set typed = (data_type or '') | lower | trim -%}
    {#- the types staging reads as they are, and others that never print as blank text -#}
    {%- set never_blank = raw_type_names('integer') + raw_type_names('float') + raw_type_names('timestamp')
        + raw_type_names('timestamptz') + ['real', 'boolean', 'timestamp_ns'] -%}
    {%- if typed in never_blank or typed.startswith('decimal(') -%}
        ({{ expression }} is null)
    {%- else -%}
        ({{ clean_text(expression) }} is null)
    {%- endif -%}
{%- endmacro %}
