{#-
    cast(expression as data_type), or null where the text is not a plain decimal number in range
    (instead of an error). data_type is dbt.type_numeric() (numeric(28,6)), dbt.type_bigint() or
    dbt.type_int(): the types staging parses text into.
    The accepted text is the same on every engine (number_pattern): an optional sign, digits with an
    optional decimal point, and for numeric an optional exponent (1e2, as spreadsheets export).
    DuckDB's own try_cast alone would also take 1_000, 0x10 or round .5 to an integer.
-#}
{% macro cast_or_null(expression, data_type) %}
    {{ return(adapter.dispatch('cast_or_null', 'customer_retention')(expression, data_type)) }}
{% endmacro %}

{#- The regular expression a number of data_type must match, and whether it is a whole number type. -#}
{% macro number_pattern(data_type) -%}
    {%- set type_name = data_type | lower | trim -%}
    {%- set whole_types = [dbt.type_bigint() | lower, dbt.type_int() | lower, 'integer', 'int', 'bigint'] -%}
    {%- if type_name in whole_types -%}
        {#- 18 digits always fit a bigint (9 an int): a longer value is null, never an overflow error -#}
        {%- set digits = 9 if type_name in [dbt.type_int() | lower, 'integer', 'int'] else 18 -%}
        {{ return('^[+-]?0*[0-9]{1,' ~ digits ~ '}$') }}
    {%- elif type_name.startswith('numeric') or type_name.startswith('decimal') -%}
        {{ return('^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cast_or_null: no safe cast to " ~ data_type ~ ".") }}
    {%- endif -%}
{%- endmacro %}

{% macro default__cast_or_null(expression, data_type) -%}
    case
        when {{ matches_regex(expression, number_pattern(data_type)) }}
            then try_cast({{ expression }} as {{ data_type }})
    end
{%- endmacro %}

{#-
    PostgreSQL has no try_cast and a failed cast stops the query, so after the pattern the text is
    first read as unconstrained numeric, and kept only when it fits numeric(28,6) (below 10^22);
    whole-number patterns already bound the digits, so the check never drops one of those.
-#}
{% macro postgres__cast_or_null(expression, data_type) -%}
    case
        when not {{ matches_regex(expression, number_pattern(data_type)) }} then null
        when abs(cast({{ expression }} as numeric)) < 1e22 then cast({{ expression }} as {{ data_type }})
    end
{%- endmacro %}
