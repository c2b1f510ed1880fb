{#-
    The raw column types (lowercased, as raw_column_types returns them) that staging reads as they
    are instead of parsing their text, by kind: 'integer' (every integer type), 'float' (double),
    'timestamp' (a date, or a timestamp without time zone at second, millisecond or microsecond
    precision) and 'timestamptz'. One list for parse_number, parse_timestamp and is_missing.
-#}
{% macro raw_type_names(kind) -%}
    {%- set names = {
        'integer': ['tinyint', 'smallint', 'integer', 'bigint', 'hugeint',
                    'utinyint', 'usmallint', 'uinteger', 'ubigint', 'uhugeint'],
        'float': ['double', 'float'],
        'timestamp': ['date', 'timestamp', 'timestamp_s', 'timestamp_ms', 'datetime'],
        'timestamptz': ['timestamp with time zone', 'timestamptz'],
    } -%}
    {{ return(names[kind]) }}
{%- endmacro %}
