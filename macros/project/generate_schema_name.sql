{#-
    Each layer in a schema of its own name: staging, intermediate, marts (and raw_demo,
    test_fixtures for seeds), so BI tools browse `marts` alone and a reader role can be granted
    that one schema. dbt's default would prefix the target schema (main_marts). Nodes without a
    custom schema go to the target schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
