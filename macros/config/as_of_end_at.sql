{#-
    The end of the reporting window as a SQL timestamp literal: midnight after as_of_date.
    Events at or after it are ignored; it is also the end instant of the incomplete last period.
-#}
{% macro as_of_end_at() %}
    {%- set as_of = modules.datetime.datetime.strptime(validated_var('as_of_date'), '%Y-%m-%d') -%}
    {%- set end_date = (as_of + modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d') -%}
    {{ return("cast('" ~ end_date ~ "' as timestamp)") }}
{% endmacro %}
