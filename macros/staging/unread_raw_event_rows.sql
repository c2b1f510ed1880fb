{#-
    The raw events a run of base_raw__event_rows judges, as a table expression with the columns
    of the input contract, source_file and source_loaded_at:
      files (DuckDB): the events file or the files of the events folder, minus, in an
        incremental run, the files `already_judged` (the model's own table) has read, so a daily
        run reads only the new files (source_file names each row's file);
      tables with events_loaded_at_column: the table's rows, and in an incremental run only those
        loaded after the latest `already_judged` has read (source_loaded_at is that column);
      otherwise every row: the demo seed, a raw table read in full, or no row when there is no
        events table (raw_table).
-#}
{% macro unread_raw_event_rows(already_judged=none) %}
    {%- set columns = raw_table_columns()['events'] -%}
    {%- set raw_source = validated_var('raw_source') -%}
    {%- set loaded_at = validated_var('events_loaded_at_column') -%}
    {%- set no_file = "cast(null as " ~ dbt.type_string() ~ ") as source_file" -%}
    {%- if raw_source == 'tables' and loaded_at and raw_table_is_present('events') -%}
        {%- set rows = "select " ~ columns | join(', ') ~ ", " ~ no_file ~ ", cast(" ~ adapter.quote(loaded_at)
            ~ " as " ~ dbt.type_timestamp() ~ ") as source_loaded_at from " ~ raw_table('events') -%}
        {%- if already_judged is not none -%}
            {%- set rows = rows ~ " where " ~ adapter.quote(loaded_at) ~ " > (select max(source_loaded_at) from "
                ~ already_judged ~ ")" -%}
        {%- endif -%}
        {{ return("(" ~ rows ~ ") as raw_event_rows") }}
    {%- endif -%}
    {%- set no_load_time = "cast(null as " ~ dbt.type_timestamp() ~ ") as source_loaded_at" -%}
    {%- if not (execute and target.type == 'duckdb' and raw_source == 'files' and raw_table_is_present('events')) -%}
        {{ return("(select " ~ columns | join(', ') ~ ", " ~ no_file ~ ", " ~ no_load_time
            ~ " from " ~ raw_table('events') ~ ") as raw_event_rows") }}
    {%- endif -%}
    {%- set pattern = raw_file_path('events') -%}
    {%- set files = run_query("select file from glob('" ~ pattern | replace("'", "''") ~ "') order by file").columns[0].values() | list -%}
    {%- if already_judged is not none -%}
        {%- set read = run_query("select distinct source_file from " ~ already_judged ~ " where source_file is not null").columns[0].values() | list -%}
        {%- set files = files | reject('in', read) | list -%}
    {%- endif -%}
    {%- if not files -%}
        {%- set typed = [] -%}
        {%- for column in columns + ['source_file'] -%}
            {%- do typed.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endfor -%}
        {{ return('(select ' ~ typed | join(', ') ~ ', ' ~ no_load_time ~ ' where 1 = 0) as raw_event_rows') }}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for file in files -%}
        {%- do quoted.append("'" ~ file | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- if pattern.endswith('.csv') -%}
        {%- set relation = raw_csv_read(files, raw_csv_header(files[0]), 'ignore_errors = true, filename = true') -%}
    {%- else -%}
        {%- set relation = "read_parquet([" ~ quoted | join(', ') ~ "], filename = true)" -%}
    {%- endif -%}
    {{ return("(select " ~ columns | join(', ') ~ ", filename as source_file, " ~ no_load_time
        ~ " from " ~ relation ~ ") as raw_event_rows") }}
{% endmacro %}
