{#-
    A select of one column, period_start (date), holding every period start at `grain` from the
    period containing first_date to the period containing last_date, both inclusive.
    `bounds_relation` names a relation or CTE with one row and the two date columns.
    dbt.date_spine needs its bounds at compile time (it runs a query while compiling), which data
    bounds are not, so this is the one place that uses the engine's own series generator:
    generate_series as a lateral table function (DuckDB, PostgreSQL), explode(sequence) on Spark.
-#}
{% macro period_starts(grain, bounds_relation, first_date, last_date) %}
    {{ return(adapter.dispatch('period_starts', 'customer_retention')(grain, bounds_relation, first_date, last_date)) }}
{% endmacro %}

{#- The step between two period starts, as interval text ('1 month'). -#}
{% macro period_step(grain) -%}
    {{ return({'day': '1 day', 'week': '7 days', 'month': '1 month', 'quarter': '3 months', 'year': '1 year'}[grain]) }}
{%- endmacro %}

{% macro default__period_starts(grain, bounds_relation, first_date, last_date) %}
    select cast(series.period_start as date) as period_start
    from {{ bounds_relation }}
    cross join generate_series(
        cast({{ dbt.date_trunc(grain, bounds_relation ~ '.' ~ first_date) }} as timestamp),
        cast({{ dbt.date_trunc(grain, bounds_relation ~ '.' ~ last_date) }} as timestamp),
        interval '{{ period_step(grain) }}'
    ) as series (period_start)
    where {{ bounds_relation }}.{{ first_date }} is not null and {{ bounds_relation }}.{{ last_date }} is not null
{% endmacro %}

{% macro spark__period_starts(grain, bounds_relation, first_date, last_date) %}
    select
        explode(sequence(
            cast({{ dbt.date_trunc(grain, first_date) }} as date),
            cast({{ dbt.date_trunc(grain, last_date) }} as date),
            interval {{ period_step(grain) }}
        )) as period_start
    from {{ bounds_relation }}
    where {{ first_date }} is not null and {{ last_date }} is not null
{% endmacro %}
