{#-
    The last date whose data is reported, as 'YYYY-MM-DD'.
    Unset: today in reporting_timezone, except for the demo data, which is a snapshot taken on
    demo_as_of_date (its rows after that date exist to show that they are ignored).
-#}
{% macro get_as_of_date() %}
    {%- set configured = var('as_of_date') -%}
    {%- if configured is none or (configured | string | trim) in ['', 'today'] -%}
        {%- if var('raw_source') == 'demo' -%}
            {{ return(validated_date('demo_as_of_date', var('demo_as_of_date'))) }}
        {%- else -%}
            {%- set zone = modules.pytz.timezone(get_reporting_timezone()) -%}
            {{ return(run_started_at.astimezone(zone).strftime('%Y-%m-%d')) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(validated_date('as_of_date', configured)) }}
{% endmacro %}
