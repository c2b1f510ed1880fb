{#-
    Seeds on Spark, loaded as literals. dbt-spark 1.11's session connection formats bindings as
    '<value>': a missing value arrives as the text 'None' and a quote inside a value breaks the
    statement. Here a missing value is null, a number or boolean is written as itself, and text is
    a string literal with its backslashes and quotes escaped (Spark escapes with a backslash).
    Overrides dbt's spark__load_csv_rows (the project's own macros come first in dispatch).
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {%- set column_name = agate_table.column_names[loop.index0] -%}
                    {%- set column_type = column_override.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- if value is none -%}
                        {%- set literal = 'null' -%}
                    {%- elif value is boolean -%}
                        {%- set literal = 'true' if value else 'false' -%}
                    {%- elif value is number -%}
                        {%- set literal = value | string -%}
                    {%- else -%}
                        {%- set literal = "'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'" -%}
                    {%- endif -%}
                    cast({{ literal }} as {{ column_type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
                )
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
