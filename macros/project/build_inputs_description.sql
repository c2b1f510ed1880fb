{#-
    What the incremental tables' rows are built from, as one line of text: the raw data (source,
    path or schema) and every setting that changes their rows (activity mode, grains, time zone,
    lookback, earliest plausible date). Not as_of_date, which moves on every daily run by design.
    Stored per incremental table by record_build_inputs, compared by check_build_inputs.
-#}
{% macro build_inputs_description() %}
    {%- set raw_source = validated_var('raw_source') -%}
    {%- set parts = ['raw_source: ' ~ raw_source] -%}
    {%- if raw_source == 'files' -%}
        {%- do parts.append('raw_path: ' ~ (var('raw_path') | string | trim).rstrip('/')) -%}
    {%- elif raw_source == 'tables' -%}
        {%- do parts.append('raw_database: ' ~ (var('raw_database') or target.database)) -%}
        {%- do parts.append('raw_schema: ' ~ var('raw_schema')) -%}
        {%- if validated_var('events_loaded_at_column') -%}
            {%- do parts.append('events_loaded_at_column: ' ~ validated_var('events_loaded_at_column')) -%}
        {%- endif -%}
    {%- endif -%}
    {%- do parts.append('activity_mode: ' ~ validated_var('activity_mode')) -%}
    {%- do parts.append('period_grains: ' ~ validated_var('period_grains') | join(',')) -%}
    {%- do parts.append('reporting_timezone: ' ~ validated_var('reporting_timezone')) -%}
    {%- do parts.append('incremental_lookback_periods: ' ~ validated_var('incremental_lookback_periods')) -%}
    {%- do parts.append('earliest_plausible_date: ' ~ validated_var('earliest_plausible_date')) -%}
    {{ return(parts | join('; ')) }}
{% endmacro %}
