{#- The IANA time zone every timestamp is converted to before it is assigned to a period. -#}
{% macro get_reporting_timezone() %}
    {%- set timezone = (var('reporting_timezone') | string | trim) -%}
    {%- if timezone not in modules.pytz.all_timezones_set -%}
        {{ exceptions.raise_compiler_error(
            "Variable reporting_timezone must be an IANA time zone name such as 'UTC' or"
            ~ " 'Europe/Paris'; got '" ~ var('reporting_timezone') ~ "'."
        ) }}
    {%- endif -%}
    {{ return(timezone) }}
{% endmacro %}
