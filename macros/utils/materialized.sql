{#-
    The hint `materialized` for a common table expression, on the engines that take it (DuckDB,
    PostgreSQL): the query computes the CTE once and stores it, instead of reading its definition
    again where it is referenced. For a small CTE computed from a large scan and read several
    times: the raw rows an incremental staging run judges again (raw_rows_to_rejudge), which
    DuckDB would otherwise find again in the raw table for each reader. Empty on Spark.
-#}
{% macro materialized() %}
    {{ return(adapter.dispatch('materialized', 'customer_retention')()) }}
{% endmacro %}

{% macro default__materialized() -%}
{%- endmacro %}

{% macro duckdb__materialized() -%}
    materialized
{%- endmacro %}

{% macro postgres__materialized() -%}
    materialized
{%- endmacro %}
