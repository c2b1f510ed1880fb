{#-
    A table expression reading raw_path/<table_name>.csv or .parquet (exactly one must exist).
    CSV is read with every column as text, so a header-only file works and leading zeros survive;
    staging parses each column itself.
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
    {%- set base = raw_file_base_path(table_name) -%}
    {%- set csv_path = base ~ '.csv' -%}
    {%- set parquet_path = base ~ '.parquet' -%}
    {%- if not execute -%}
        {{ return("read_csv('" ~ csv_path | replace("'", "''") ~ "', header = true, all_varchar = true)") }}
    {%- endif -%}
    {#- one row, two columns: the order of a union's rows is not guaranteed -#}
    {%- set found = run_query(
        "select (select count(*) from glob('" ~ csv_path | replace("'", "''") ~ "')) as csv_files,"
        ~ " (select count(*) from glob('" ~ parquet_path | replace("'", "''") ~ "')) as parquet_files"
    ).rows[0] -%}
    {%- if found[0] > 0 and found[1] > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Both " ~ csv_path ~ " and " ~ parquet_path ~ " exist; keep exactly one."
        ) }}
    {%- elif found[0] > 0 -%}
        {{ return("read_csv('" ~ csv_path | replace("'", "''") ~ "', header = true, all_varchar = true)") }}
    {%- elif found[1] > 0 -%}
        {{ return("read_parquet('" ~ parquet_path | replace("'", "''") ~ "')") }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' not found: expected " ~ csv_path ~ " or " ~ parquet_path ~ "."
        ) }}
    {%- endif -%}
{% endmacro %}

{#-
    Spark SQL reads a Parquet file in place (parquet.`path`), but has no way to read a CSV file's
    header from inside a query, so on Spark raw files must be Parquet; load CSV exports as tables.
    A missing file fails with Spark's PATH_NOT_FOUND, which names the path.
-#}
{% macro spark__raw_file_relation(table_name) %}
    {%- set path = raw_file_base_path(table_name) ~ '.parquet' -%}
    {{ return("parquet.`" ~ path | replace('`', '``') ~ "`") }}
{% endmacro %}
