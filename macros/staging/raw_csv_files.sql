{#-
    The raw tables read from CSV files, as {table name: path}: on DuckDB with raw_source 'files',
    those of the raw tables present whose file (or folder of files) in raw_path is .csv. Empty otherwise (demo seeds and tables are
    already rows; Spark reads Parquet files only, and PostgreSQL no files), and while dbt parses.
    The CSV files are the ones that can hold malformed lines (base_raw__malformed_lines).
-#}
{% macro raw_csv_files() %}
    {{ return(adapter.dispatch('raw_csv_files', 'customer_retention')()) }}
{% endmacro %}

{% macro default__raw_csv_files() %}
    {{ return({}) }}
{% endmacro %}

{% macro duckdb__raw_csv_files() %}
    {%- set files = {} -%}
    {%- if execute and validated_var('raw_source') == 'files' -%}
        {%- for table_name in raw_table_columns() if raw_table_is_present(table_name) -%}
            {%- set path = raw_file_path(table_name) -%}
            {%- if path.endswith('.csv') -%}
                {%- do files.update({table_name: path}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(files) }}
{% endmacro %}
