{#-
    The reporting grains, validated once so a typo fails at compile time with a clear message:
    the variable period_grains (a list such as [month, quarter], or a comma-separated string),
    or, when it is unset, the one-item list [period_grain]. Lower-cased, duplicates dropped, in
    the order given. Setting both to different grains is an error rather than a silent choice.
-#}
{% macro get_period_grains() %}
    {%- set allowed = ['day', 'week', 'month', 'quarter', 'year'] -%}
    {%- set listed = var('period_grains', none) -%}
    {%- set single = var('period_grain', none) -%}
    {%- if listed is none or listed == '' -%}
        {%- set requested = [single if single is not none else 'month'] -%}
    {%- elif listed is string -%}
        {%- set requested = listed.split(',') -%}
    {%- else -%}
        {%- set requested = listed -%}
    {%- endif -%}
    {%- set grains = [] -%}
    {%- for item in requested -%}
        {%- set grain = item | string | trim | lower -%}
        {%- if grain not in allowed -%}
            {{ exceptions.raise_compiler_error(
                "Variables period_grains and period_grain take grains among " ~ allowed | join(', ')
                ~ "; got '" ~ item ~ "'."
            ) }}
        {%- endif -%}
        {%- if grain not in grains -%}
            {%- do grains.append(grain) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if grains | length == 0 -%}
        {{ exceptions.raise_compiler_error("Variable period_grains lists no grain.") }}
    {%- endif -%}
    {%- if listed is not none and listed != '' and single is not none
        and (single | string | trim | lower) not in grains -%}
        {{ exceptions.raise_compiler_error(
            "Variables period_grain ('" ~ single ~ "') and period_grains (" ~ grains | join(', ')
            ~ ") disagree: set one of them (period_grain is shorthand for a one-item period_grains)."
        ) }}
    {%- endif -%}
    {{ return(grains) }}
{% endmacro %}
