{#-
    The primary reporting grain: the first of get_period_grains(). Models with one row per
    customer (the customers mart's cohort_period_start) report at this grain.
-#}
{% macro get_period_grain() %}
    {{ return(get_period_grains()[0]) }}
{% endmacro %}
