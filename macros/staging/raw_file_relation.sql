{#-
    A table expression reading raw_path/<table_name>.csv or .parquet (exactly one must exist:
    raw_file_path). CSV is read in one dialect (raw_csv_read) with every column as text, so a
    header-only file works and leading zeros survive; staging parses each column itself. A
    malformed CSV line is skipped here and kept by base_raw__malformed_lines instead.
-#}
{% macro raw_file_relation(table_name) %}
    {{ return(adapter.dispatch('raw_file_relation', 'customer_retention')(table_name)) }}
{% endmacro %}

{% macro default__raw_file_relation(table_name) %}
    {{ exceptions.raise_compiler_error(
        "raw_source 'files' is not supported on the " ~ target.type ~ " adapter: load the files"
        ~ " into tables and use raw_source 'tables'."
    ) }}
{% endmacro %}

{#- raw_path/<table_name>, without an extension; raw_path must be set. -#}
{% macro raw_file_base_path(table_name) %}
    {%- set folder = var('raw_path') -%}
    {%- if folder is none or (folder | string | trim) == '' -%}
        {{ exceptions.raise_compiler_error("raw_source 'files' needs the variable raw_path (a folder).") }}
    {%- endif -%}
    {{ return((folder | string | trim).rstrip('/') ~ '/' ~ table_name) }}
{% endmacro %}

{% macro duckdb__raw_file_relation(table_name) %}
    {%- set path = raw_file_path(table_name) -%}
    {%- if not execute -%}
        {#- parsing: no file is opened, so the columns are not known yet -#}
        {{ return("read_csv('" ~ path | replace("'", "''") ~ "', header = true, all_varchar = true)") }}
    {%- elif path.endswith('.csv') -%}
        {{ return(raw_csv_read(path, raw_csv_header(path), 'ignore_errors = true')) }}
    {%- else -%}
        {{ return("read_parquet('" ~ path | replace("'", "''") ~ "')") }}
    {%- endif -%}
{% endmacro %}

{#-
    Spark SQL reads a Parquet file in place (parquet.`path`), but has no way to read a CSV file's
    header from inside a query, so on Spark raw files must be Parquet; load CSV exports as tables.
    A missing file fails with Spark's PATH_NOT_FOUND, which names the path.
-#}
{% macro spark__raw_file_relation(table_name) %}
    {{ return("parquet.`" ~ raw_file_path(table_name) | replace('`', '``') ~ "`") }}
{% endmacro %}
