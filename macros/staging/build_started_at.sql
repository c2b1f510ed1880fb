{#-
    The moment this dbt invocation started (dbt's run_started_at), as a timestamp literal in
    reporting_timezone: the instant after which a raw event timestamp is a typo (year 2099), not
    merely after as_of_date. One value for the whole build, so every model judges alike.
-#}
{% macro build_started_at() %}
    {%- set zone = modules.pytz.timezone(validated_var('reporting_timezone')) -%}
    {%- set started = run_started_at.astimezone(zone).strftime('%Y-%m-%d %H:%M:%S') -%}
    {{ return("cast('" ~ started ~ "' as timestamp)") }}
{% endmacro %}
