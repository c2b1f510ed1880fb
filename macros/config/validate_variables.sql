{#-
    Stops the run when a --vars key is not one of the project's variables (naming the closest
    valid name), or when a raw-location variable is given that the chosen raw_source never reads
    (raw_path outside files, raw_schema or raw_database outside tables): both used to build the
    demo data silently. Only the command line's --vars are checked; every variable, its default
    and its meaning are in README.md, Variables. raw_table calls it, so it runs while dbt parses.
-#}
{% macro validate_variables() %}
    {%- set known = [
        'raw_source', 'raw_path', 'raw_schema', 'raw_database', 'period_grains', 'period_grain',
        'as_of_date', 'demo_as_of_date', 'earliest_plausible_date', 'activity_mode',
        'reporting_timezone', 'cltv_churn_window_periods', 'gross_margin', 'clv_time_unit',
        'clv_horizon_periods', 'clv_discount_rate', 'clv_min_customers', 'incremental_lookback_periods',
        'max_rejected_share', 'marts_reader_role',
    ] -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- if given is string -%}
        {%- set given = fromyaml(given) or {} -%}
    {%- endif -%}
    {%- for name in given | sort -%}
        {%- if name not in known -%}
            {{ exceptions.raise_compiler_error(
                "Unknown variable '" ~ name ~ "' in --vars; did you mean '" ~ closest_name(name, known)
                ~ "'? (The project's variables are listed in README.md, Variables.)"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set raw_source = var('raw_source') | string | trim | lower -%}
    {%- set readers = {'raw_path': 'files', 'raw_schema': 'tables', 'raw_database': 'tables'} -%}
    {%- for name in given | sort -%}
        {%- if name in readers and raw_source != readers[name] and given[name] is not none -%}
            {{ exceptions.raise_compiler_error(
                "Variable " ~ name ~ " is set, but raw_source is '" ~ raw_source ~ "', which does not read it:"
                ~ " set raw_source: " ~ readers[name] ~ " to build from it, or drop " ~ name ~ "."
            ) }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
