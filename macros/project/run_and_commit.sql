{#-
    For the build-inputs hooks: runs the statements and commits them, then returns 'select 1' for
    the hook itself. A hook's own SQL runs in whatever transaction a query made while rendering it
    began (check_build_inputs reads the record first), and dbt rolls that back after the hooks:
    the record table was lost that way on a first build.
-#}
{% macro run_and_commit(sql) %}
    {%- do run_query(sql) -%}
    {%- do adapter.commit() -%}
    {{ return('select 1') }}
{% endmacro %}
