{#-
    The end instant of the reporting window, as 'YYYY-MM-DD': midnight after as_of_date.
    Anything at or after it is ignored; it is also the end instant of the incomplete last period.
-#}
{% macro get_as_of_end() %}
    {%- set as_of = modules.datetime.datetime.strptime(get_as_of_date(), '%Y-%m-%d') -%}
    {{ return((as_of + modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d')) }}
{% endmacro %}
