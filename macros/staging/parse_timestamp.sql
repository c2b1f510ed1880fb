{#-
    An ISO 8601 text value as a timestamp without time zone, in reporting_timezone.
    Accepted, on every engine alike (iso_8601_pattern): YYYY-MM-DD, optionally followed by T or a
    space and HH:MM, HH:MM:SS or HH:MM:SS.fraction, optionally followed by Z or an offset +HH,
    +HHMM or +HH:MM. A value with an offset or Z is converted from that offset; a value without one
    (a naive timestamp or a date) is wall-clock time already in reporting_timezone.
    Anything else, and impossible dates such as 2025-02-30, gives null (staging quarantines the row).
    Fractions beyond microseconds are truncated.
    data_type is the raw column's type when known (raw_column_types): on DuckDB a column already
    typed as a date or timestamp is taken as is, with exactly the result its text would give (a
    year outside 1000-9999 or an infinite value is null), without printing and re-reading it.
-#}
{% macro parse_timestamp(expression, data_type=none) %}
    {{ return(adapter.dispatch('parse_timestamp', 'customer_retention')(expression, data_type)) }}
{% endmacro %}

{#- The accepted text, as a regular expression that POSIX, RE2 and Java engines read alike. -#}
{% macro iso_8601_pattern(with_offset=none) -%}
    {%- set date = '[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' -%}
    {%- set time = '[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?' -%}
    {%- set offset = '([Zz]|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)' -%}
    {%- if with_offset is none -%}
        ^{{ date }}({{ time }}{{ offset }}?)?$
    {%- elif with_offset -%}
        ^{{ date }}{{ time }}{{ offset }}$
    {%- else -%}
        ^{{ date }}({{ time }})?$
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__parse_timestamp(expression, data_type=none) -%}
    {%- set text = clean_text(expression) -%}
    {%- set typed = (data_type or '') | lower | trim -%}
    {%- if typed in raw_type_names('timestamp') -%}
    case when year({{ expression }}) between 1000 and 9999 then cast({{ expression }} as timestamp) end
    {%- elif typed in raw_type_names('timestamptz') -%}
    case
        when year({{ expression }}) between 1000 and 9999
            then timezone('{{ validated_var('reporting_timezone') }}', {{ expression }})
    end
    {%- else -%}
    case
        when regexp_full_match({{ text }}, '{{ iso_8601_pattern(with_offset=true) }}')
            then timezone('{{ validated_var('reporting_timezone') }}', try_cast(upper({{ text }}) as timestamptz))
        when regexp_full_match({{ text }}, '{{ iso_8601_pattern(with_offset=false) }}')
            then try_cast({{ text }} as timestamp)
    end
    {%- endif -%}
{%- endmacro %}

{#-
    PostgreSQL has no try_cast, and a bad cast stops the query: the pattern and a day-of-month
    check (the pattern lets 02-30 through) run first, in a case, whose order PostgreSQL keeps.
    Fractions are cut to microseconds first, because PostgreSQL would round them.
-#}
{% macro postgres__parse_timestamp(expression, data_type=none) -%}
    {%- set text = clean_text(expression) -%}
    {%- set micro = "regexp_replace(" ~ text ~ ", '([.][0-9]{6})[0-9]+', '\\1')" -%}
    case
        when not {{ text }} ~ '{{ iso_8601_pattern() }}' then null
        when cast(substr({{ text }}, 9, 2) as integer) > extract(day from
            make_date(cast(substr({{ text }}, 1, 4) as integer), cast(substr({{ text }}, 6, 2) as integer), 1)
            + interval '1 month' - interval '1 day'
        ) then null
        when {{ text }} ~ '{{ iso_8601_pattern(with_offset=true) }}'
            then cast({{ micro }} as timestamptz) at time zone '{{ validated_var('reporting_timezone') }}'
        else cast({{ micro }} as timestamp)
    end
{%- endmacro %}

{#-
    Spark's cast reads an offset (the session time zone is UTC) but not HH:MM followed directly by
    an offset, so missing seconds are written out first.
-#}
{% macro spark__parse_timestamp(expression, data_type=none) -%}
    {%- set text = clean_text(expression) -%}
    {%- set full = "regexp_replace(upper(" ~ text ~ "), '^(.{10}T?.?[0-9]{2}:[0-9]{2})([^:0-9]|$)', '$1:00$2')" -%}
    case
        when {{ text }} rlike '{{ iso_8601_pattern(with_offset=true) }}'
            then from_utc_timestamp(try_cast({{ full }} as timestamp), '{{ validated_var('reporting_timezone') }}')
        when {{ text }} rlike '{{ iso_8601_pattern(with_offset=false) }}'
            then try_cast({{ text }} as timestamp)
    end
{%- endmacro %}
