{#-
    For the build-inputs hooks: runs the statements and commits them, then returns 'select 1' for
    the hook itself. A hook's own SQL runs in whatever transaction a query made while rendering it
    began (check_build_inputs reads the record first), and dbt rolls that back after the hooks:
    the record table was lost that way on a first build. DuckDB: dbt's commit of the transaction
    run_query began. PostgreSQL: psycopg2 may have begun one that dbt does not know of (dbt then
    refuses to commit), so the statements end with their own commit.
-#}
{% macro run_and_commit(sql) %}
    {{ return(adapter.dispatch('run_and_commit', 'customer_retention')(sql)) }}
{% endmacro %}

{% macro default__run_and_commit(sql) %}
    {%- do run_query(sql) -%}
    {%- do adapter.commit() -%}
    {{ return('select 1') }}
{% endmacro %}

{% macro postgres__run_and_commit(sql) %}
    {%- do run_query(sql ~ ';\ncommit') -%}
    {{ return('select 1') }}
{% endmacro %}
