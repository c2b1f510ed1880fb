{#-
    A select of one column, period_start (date), holding every period start at `grain` from the
    period containing first_date to the period containing last_date, both inclusive.
    `bounds_relation` names a relation or CTE with one row and the two date columns.
    dbt.date_spine needs its bounds at compile time (it runs a query while compiling), which data
    bounds are not, so this is the one place that uses each engine's own series generator.
-#}
{% macro period_starts(grain, bounds_relation, first_date, last_date) %}
    {{ return(adapter.dispatch('period_starts', 'customer_retention')(grain, bounds_relation, first_date, last_date)) }}
{% endmacro %}

{% macro duckdb__period_starts(grain, bounds_relation, first_date, last_date) %}
    {%- set steps = {
        'day': '1 day', 'week': '7 days', 'month': '1 month', 'quarter': '3 months', 'year': '1 year'
    } -%}
    select
        cast(unnest(generate_series(
            cast({{ dbt.date_trunc(grain, first_date) }} as timestamp),
            cast({{ dbt.date_trunc(grain, last_date) }} as timestamp),
            interval '{{ steps[grain] }}'
        )) as date) as period_start
    from {{ bounds_relation }}
    where {{ first_date }} is not null and {{ last_date }} is not null
{% endmacro %}

{% macro postgres__period_starts(grain, bounds_relation, first_date, last_date) %}
    {%- set steps = {
        'day': '1 day', 'week': '7 days', 'month': '1 month', 'quarter': '3 months', 'year': '1 year'
    } -%}
    select
        cast(generate_series(
            cast({{ dbt.date_trunc(grain, first_date) }} as timestamp),
            cast({{ dbt.date_trunc(grain, last_date) }} as timestamp),
            interval '{{ steps[grain] }}'
        ) as date) as period_start
    from {{ bounds_relation }}
    where {{ first_date }} is not null and {{ last_date }} is not null
{% endmacro %}

{% macro spark__period_starts(grain, bounds_relation, first_date, last_date) %}
    {%- set steps = {
        'day': '1 day', 'week': '7 days', 'month': '1 month', 'quarter': '3 months', 'year': '1 year'
    } -%}
    select
        explode(sequence(
            cast({{ dbt.date_trunc(grain, first_date) }} as date),
            cast({{ dbt.date_trunc(grain, last_date) }} as date),
            interval {{ steps[grain] }}
        )) as period_start
    from {{ bounds_relation }}
    where {{ first_date }} is not null and {{ last_date }} is not null
{% endmacro %}
