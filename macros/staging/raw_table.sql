{#-
    The relation holding one raw table, chosen by the raw_source variable. Only staging models call
    it, so staging is the only layer that knows where raw data lives.
      demo   -> the seed raw_<table_name> (seeds/demo)
      tables -> source('raw', table_name), i.e. raw_database.raw_schema.table_name
      files  -> raw_path/<table_name>.csv or .parquet (or a folder of them), read by the adapter
                (see raw_file_relation)
    The optional events table, when absent (raw_table_is_present), is a typed query with no row,
    so that staging and the event marts build empty.
-#}
{% macro raw_table(table_name) %}
    {%- set known_tables = raw_table_columns().keys() | list -%}
    {%- if table_name not in known_tables -%}
        {{ exceptions.raise_compiler_error("raw_table: unknown raw table '" ~ table_name ~ "'.") }}
    {%- endif -%}
    {#- validated whatever the raw source, as the source's schema and database
        (models/staging/raw/_raw__sources.yml) are read by a YAML file, which cannot call a macro -#}
    {%- set raw_source = validated_var('raw_source') -%}
    {%- if not raw_table_is_present(table_name) -%}
        {%- set columns = [] -%}
        {%- for column in raw_table_columns()[table_name] -%}
            {%- do columns.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endfor -%}
        {{ return('(select ' ~ columns | join(', ') ~ ' where 1 = 0) as absent_raw_' ~ table_name) }}
    {%- elif raw_source == 'demo' -%}
        {{ return(ref('raw_' ~ table_name)) }}
    {%- elif raw_source == 'tables' -%}
        {{ return(source('raw', table_name)) }}
    {%- else -%}
        {{ return(raw_file_relation(table_name)) }}
    {%- endif -%}
{% endmacro %}
