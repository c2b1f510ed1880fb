{#-
    The file (or files) raw_source 'files' reads for one raw table: raw_path/<table_name>.csv or
    .parquet, or a folder raw_path/<table_name>/ of .csv or .parquet files (a glob), which is how
    product-analytics exports arrive: one file per day or hour. DuckDB reads any of these, and
    exactly one must exist; Spark reads the .parquet file only (see raw_file_relation). With
    required=false a missing table returns none (the optional events table: raw_table_is_present).
    While dbt parses the project no file is looked at: the .csv path stands in.
-#}
{% macro raw_file_path(table_name, required=true) %}
    {{ return(adapter.dispatch('raw_file_path', 'customer_retention')(table_name, required)) }}
{% endmacro %}

{% macro default__raw_file_path(table_name, required=true) %}
    {{ exceptions.raise_compiler_error(
        "raw_source 'files' is not supported on the " ~ target.type ~ " adapter: load the files"
        ~ " into tables and use raw_source 'tables'."
    ) }}
{% endmacro %}

{% macro duckdb__raw_file_path(table_name, required=true) %}
    {%- set base = raw_file_base_path(table_name) -%}
    {%- set candidates = [base ~ '.csv', base ~ '.parquet', base ~ '/*.csv', base ~ '/*.parquet'] -%}
    {%- if not execute -%}
        {{ return(candidates[0]) }}
    {%- endif -%}
    {#- one row, one column per candidate: the order of a union's rows is not guaranteed -#}
    {%- set counts = [] -%}
    {%- for candidate in candidates -%}
        {%- do counts.append("(select count(*) from glob('" ~ candidate | replace("'", "''") ~ "')) as c" ~ loop.index0) -%}
    {%- endfor -%}
    {%- set found = run_query("select " ~ counts | join(', ')).rows[0] -%}
    {%- set present = [] -%}
    {%- for candidate in candidates -%}
        {%- if found[loop.index0] > 0 -%}
            {%- do present.append(candidate) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if present | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' is found more than once: " ~ present | join(', ')
            ~ "; keep exactly one (one file, or one folder of files of one format)."
        ) }}
    {%- elif present -%}
        {{ return(present[0]) }}
    {%- elif not required -%}
        {{ return(none) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' not found: expected " ~ candidates[0] ~ " or " ~ candidates[1]
            ~ " (or a folder " ~ base ~ "/ of .csv or .parquet files)."
        ) }}
    {%- endif -%}
{% endmacro %}

{% macro spark__raw_file_path(table_name, required=true) %}
    {{ return(raw_file_base_path(table_name) ~ '.parquet') }}
{% endmacro %}
