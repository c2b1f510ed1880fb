{#-
    `expression` (a date) moved by `count` periods of `grain` (a whole number, or a SQL
    expression): dbt.dateadd, with a quarter written as 3 months, as PostgreSQL has no
    'quarter' interval.
-#}
{% macro add_periods(grain, count, expression) -%}
    {%- if grain == 'quarter' -%}
        {{ dbt.dateadd('month', '3 * (' ~ count ~ ')', expression) }}
    {%- else -%}
        {{ dbt.dateadd(grain, count, expression) }}
    {%- endif -%}
{%- endmacro %}
