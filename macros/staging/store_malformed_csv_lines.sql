{#-
    The pre-hook of base_raw__malformed_lines: reads each raw CSV file (raw_csv_files) once with
    DuckDB's store_rejects, which keeps every malformed line (its line number, its text and the
    reader's message) in a temporary table, malformed_csv_lines__<table>. Temporary tables live as
    long as the connection, and dbt runs a model's pre-hooks and its query on one connection, so
    the model reads them right after; they are dropped first, as a connection can serve several
    models. Nothing to run when no raw table is a CSV file.
-#}
{% macro store_malformed_csv_lines() %}
    {%- set statements = [] -%}
    {%- for table_name, path in raw_csv_files().items() -%}
        {%- set rejects = 'malformed_csv_lines__' ~ table_name -%}
        {%- set scans = 'malformed_csv_scans__' ~ table_name -%}
        {%- do statements.append('drop table if exists temp.main.' ~ rejects) -%}
        {%- do statements.append('drop table if exists temp.main.' ~ scans) -%}
        {#- the contract's columns, as staging reads them, not count(*): DuckDB checks a value's
            encoding only when it reads it (and a bad byte in a column staging never reads does
            not make the line malformed) -#}
        {%- do statements.append('select count(*) from ' ~ raw_csv_read(
            path,
            raw_csv_header(path),
            "store_rejects = true, rejects_table = '" ~ rejects ~ "', rejects_scan = '" ~ scans ~ "'",
        ) ~ ' where ' ~ row_hash(raw_table_columns()[table_name]) ~ ' is not null') -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}
