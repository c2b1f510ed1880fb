{#-
    An ISO 8601 text value as a timestamp without time zone, in reporting_timezone.
    A value with an offset or a Z suffix is converted from that offset; a value without one
    (a naive timestamp or a date) is wall-clock time already in reporting_timezone.
    Unparseable text gives null (staging tests report it).
-#}
{% macro parse_timestamp(expression) %}
    {{ return(adapter.dispatch('parse_timestamp', 'customer_retention')(expression)) }}
{% endmacro %}

{% macro duckdb__parse_timestamp(expression) -%}
    {%- set text = clean_text(expression) -%}
    case
        when regexp_matches({{ text }}, '[0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)? *([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then timezone('{{ get_reporting_timezone() }}', try_cast({{ text }} as timestamptz))
        else try_cast({{ text }} as timestamp)
    end
{%- endmacro %}
