{#-
    Every malformed line of the raw CSV files (each file of a folder named): a line DuckDB's reader cannot split into the
    header's columns (too few or too many fields, an unterminated quote, invalid UTF-8). Staging
    skips such a line (raw_file_relation); here it is kept, with its file, line number and text,
    and the quarantine takes it with the reason malformed_line. The pre-hook
    store_malformed_csv_lines reads the files with store_rejects into temporary tables, which this
    query reads on the same connection. Empty when no raw table is a CSV file (demo seeds, raw
    tables, Parquet files; PostgreSQL and Spark).
-#}
{{ config(pre_hook="{{ store_malformed_csv_lines() }}") }}

{%- set csv_files = raw_csv_files() -%}
{#- line ends are not part of a line's text; DuckDB's line can start or end with one -#}
{%- set line_ends = "chr(13) || chr(10)" -%}

with

{% for table_name, path in csv_files.items() %}
{{ table_name }}_rejects as (

    select * from temp.main.malformed_csv_lines__{{ table_name }}

),

{{ table_name }}_scans as (

    select * from temp.main.malformed_csv_scans__{{ table_name }}

),

{{ table_name }}_lines as (

    -- one row per line of each file (a folder of files is one scan of several files): the reader
    -- may report a line more than once
    select
        {{ table_name }}_scans.file_path as source_file,
        {{ table_name }}_rejects.line as line_number,
        min(rtrim(ltrim({{ table_name }}_rejects.csv_line, {{ line_ends }}), {{ line_ends }})) as raw_line,
        min({{ table_name }}_rejects.error_message) as reader_error

    from {{ table_name }}_rejects
    inner join {{ table_name }}_scans
        on
            {{ table_name }}_rejects.scan_id = {{ table_name }}_scans.scan_id
            and {{ table_name }}_rejects.file_id = {{ table_name }}_scans.file_id
    group by {{ table_name }}_scans.file_path, {{ table_name }}_rejects.line

),

{% endfor %}
malformed_lines as (

    {% for table_name, path in csv_files.items() %}
    select
        '{{ table_name }}' as source_table,
        source_file,
        cast(line_number as bigint) as line_number,
        -- PII: an email address in a line is not kept, whatever the file (README, Bad input)
        regexp_replace(raw_line, '[^\s@,;"<>]+@[^\s@,;"<>]+', '<email removed>', 'g') as raw_line,
        reader_error,
        'malformed_line' as rejection_reason,
        'csv_line' as rejected_column

    from {{ table_name }}_lines

    union all

    {% endfor %}
    -- the columns and their types, with no row: all there is without CSV files
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as line_number,
        cast(null as {{ dbt.type_string() }}) as raw_line,
        cast(null as {{ dbt.type_string() }}) as reader_error,
        cast(null as {{ dbt.type_string() }}) as rejection_reason,
        cast(null as {{ dbt.type_string() }}) as rejected_column
    where 1 = 0

),

final as (

    select * from malformed_lines

)

select * from final
