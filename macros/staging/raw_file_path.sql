{#-
    The file raw_source 'files' reads for one raw table: raw_path/<table_name>.csv or .parquet.
    DuckDB reads either, and exactly one must exist; Spark reads the .parquet file only (see
    raw_file_relation). While dbt parses the project no file is looked at: the .csv path stands in.
-#}
{% macro raw_file_path(table_name) %}
    {{ return(adapter.dispatch('raw_file_path', 'customer_retention')(table_name)) }}
{% endmacro %}

{% macro default__raw_file_path(table_name) %}
    {{ exceptions.raise_compiler_error(
        "raw_source 'files' is not supported on the " ~ target.type ~ " adapter: load the files"
        ~ " into tables and use raw_source 'tables'."
    ) }}
{% endmacro %}

{% macro duckdb__raw_file_path(table_name) %}
    {%- set base = raw_file_base_path(table_name) -%}
    {%- set csv_path = base ~ '.csv' -%}
    {%- set parquet_path = base ~ '.parquet' -%}
    {%- if not execute -%}
        {{ return(csv_path) }}
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
        {{ return(csv_path) }}
    {%- elif found[1] > 0 -%}
        {{ return(parquet_path) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' not found: expected " ~ csv_path ~ " or " ~ parquet_path ~ "."
        ) }}
    {%- endif -%}
{% endmacro %}

{% macro spark__raw_file_path(table_name) %}
    {{ return(raw_file_base_path(table_name) ~ '.parquet') }}
{% endmacro %}
