{#-
    The data type of each column of a raw table (the relation raw_table returned), as
    {lowercased column name: lowercased type}, so that parse_timestamp and parse_number can skip
    text parsing of a column that arrives typed (Parquet files, typed raw tables). Empty while dbt parses the project, inside unit tests (whose
    fixtures are CTEs), for a seed or table that does not exist yet (a lint or compile on a new
    database), and on adapters without an implementation: every column is then parsed as text,
    which is always correct, only slower.
-#}
{% macro raw_column_types(relation) %}
    {{ return(adapter.dispatch('raw_column_types', 'customer_retention')(relation)) }}
{% endmacro %}

{% macro default__raw_column_types(relation) %}
    {{ return({}) }}
{% endmacro %}

{% macro duckdb__raw_column_types(relation) %}
    {%- if not execute -%}
        {{ return({}) }}
    {%- endif -%}
    {#- a unit test's fixture is a CTE; a file is a string raw_file_relation found; a seed or a
        source must exist already -#}
    {%- if '__dbt__cte__' in relation | string -%}
        {{ return({}) }}
    {%- elif relation is not string and load_relation(relation) is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set types = {} -%}
    {%- for row in run_query('describe select * from ' ~ relation).rows -%}
        {%- do types.update({row['column_name'] | lower: row['column_type'] | lower}) -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}
