{#-
    True when the text expression matches the regular expression pattern (which should be anchored
    with ^ and $; Spark's rlike finds a match anywhere), null when expression is null. Write
    patterns without backslashes ([.] rather than \.): engines escape string literals differently.
-#}
{% macro matches_regex(expression, pattern) %}
    {{ return(adapter.dispatch('matches_regex', 'customer_retention')(expression, pattern)) }}
{% endmacro %}

{% macro default__matches_regex(expression, pattern) -%}
    regexp_like({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__matches_regex(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__matches_regex(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_regex(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}
