{#-
    An on-run-start hook: before any model runs, checks that each raw table present has every
    column of the input contract (README, Input contract; extra columns are fine), in raw_source
    files (the file in raw_path) and tables (the source raw.<table>). A missing column otherwise
    surfaces deep in staging as a binder error about some other column. Stops the run with one
    message listing every missing column, with its table and file or table name. The demo seeds
    always have them. Column names are compared lowercased, as the engines bind them.
-#}
{% macro check_raw_columns() %}
    {%- set raw_source = validated_var('raw_source') -%}
    {%- if not execute or raw_source not in ['files', 'tables'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set contract = raw_table_columns() -%}
    {%- if raw_source == 'tables' and validated_var('events_loaded_at_column') -%}
        {%- set contract = dict(contract) -%}
        {%- do contract.update({'events': contract['events'] + [validated_var('events_loaded_at_column') | lower]}) -%}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- for table_name, required in contract.items() if raw_table_is_present(table_name) -%}
        {%- if raw_source == 'files' -%}
            {%- set where = raw_file_path(table_name) -%}
            {%- set found = run_query('select * from ' ~ raw_file_relation(table_name) ~ ' limit 0').column_names -%}
        {%- else -%}
            {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
                | selectattr('name', 'equalto', table_name) | first -%}
            {%- set relation = adapter.get_relation(node.database, node.schema, node.identifier) -%}
            {%- set where = 'table ' ~ (relation if relation is not none else node.schema ~ '.' ~ node.identifier) -%}
            {%- set found = none -%}
            {%- if relation is none -%}
                {%- do problems.append(table_name ~ ' (' ~ where ~ '): not found') -%}
            {%- else -%}
                {%- set found = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
            {%- endif -%}
        {%- endif -%}
        {%- if found is not none -%}
            {%- set found_lower = found | map('lower') | list -%}
            {%- set missing = [] -%}
            {%- for column in required if column not in found_lower -%}
                {%- do missing.append(column) -%}
            {%- endfor -%}
            {%- if missing -%}
                {%- do problems.append(
                    table_name ~ ' (' ~ where ~ '): missing column(s) ' ~ missing | join(', ')
                    ~ '; has ' ~ (found | join(', ') if found else 'no columns')
                ) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "The raw input does not meet the input contract (README, Input contract), so nothing"
            ~ " was built:\n  - " ~ problems | join('\n  - ')
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
