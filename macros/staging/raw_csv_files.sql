{#-
    The raw tables read from CSV files, as {table name: path}: on DuckDB with raw_source 'files',
    those of the four whose file in raw_path is a .csv. Empty otherwise (demo seeds and tables are
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
        {%- for table_name in ['customers', 'subscriptions', 'transactions', 'survey_responses'] -%}
            {%- set path = raw_file_path(table_name) -%}
            {%- if path.endswith('.csv') -%}
                {%- do files.update({table_name: path}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(files) }}
{% endmacro %}
