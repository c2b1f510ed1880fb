{#-
    The last date whose data is reported, as 'YYYY-MM-DD'.
    Unset: today in reporting_timezone, except for the demo data, which is a snapshot taken on
    demo_as_of_date (its rows after that date exist to show that they are ignored).
-#}
{% macro get_as_of_date() %}
    {%- set configured = var('as_of_date') -%}
    {%- if configured is none or (configured | string | trim) in ['', 'today'] -%}
        {%- if var('raw_source') == 'demo' -%}
            {%- set configured = var('demo_as_of_date') -%}
        {%- else -%}
            {%- set zone = modules.pytz.timezone(get_reporting_timezone()) -%}
            {{ return(run_started_at.astimezone(zone).strftime('%Y-%m-%d')) }}
        {%- endif -%}
    {%- endif -%}
    {%- set text = configured | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error(
            "Variable as_of_date must be a date written YYYY-MM-DD; got '" ~ configured ~ "'."
        ) }}
    {%- endif -%}
    {#- strptime rejects impossible dates such as 2025-02-30. -#}
    {{ return(modules.datetime.datetime.strptime(text, '%Y-%m-%d').strftime('%Y-%m-%d')) }}
{% endmacro %}
