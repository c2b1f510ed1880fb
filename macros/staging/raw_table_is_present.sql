{#-
    Whether a raw table exists for this run. The four tables of the input contract always do (a
    missing one stops the build in raw_table or check_raw_columns). The fifth, `events`, is
    optional: the demo seed always has it; in raw_source files it is present when raw_path holds
    events.csv, events.parquet or a folder events/ of either (DuckDB); in tables, when the source
    table raw.events exists. Without it the event marts are built empty. Spark reads raw files as
    Parquet by name and cannot look for them first: there, load events as a table. While dbt
    parses the project nothing is looked up: true.
-#}
{% macro raw_table_is_present(table_name) %}
    {%- set raw_source = validated_var('raw_source') -%}
    {%- if table_name != 'events' or raw_source == 'demo' or not execute -%}
        {{ return(true) }}
    {%- elif raw_source == 'tables' -%}
        {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
            | selectattr('name', 'equalto', table_name) | first -%}
        {{ return(adapter.get_relation(node.database, node.schema, node.identifier) is not none) }}
    {%- elif target.type == 'duckdb' -%}
        {{ return(raw_file_path(table_name, required=false) is not none) }}
    {%- else -%}
        {{ return(false) }}
    {%- endif -%}
{% endmacro %}
