{#-
    The hint `not materialized` for a common table expression, on the engines that take it
    (DuckDB, PostgreSQL): the query reads the CTE where it is referenced instead of storing it
    whole first. DuckDB stores a CTE that is referenced twice, which for a staging model's parsed
    raw rows meant writing and rereading 17M rows at 1M customers (a large share of the model's
    time), although one of the two references keeps only the rare rows whose key is held twice.
    Spark has no such hint (and inlines CTEs anyway): empty.
-#}
{% macro not_materialized() %}
    {{ return(adapter.dispatch('not_materialized', 'customer_retention')()) }}
{% endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro postgres__not_materialized() -%}
    not materialized
{%- endmacro %}
