{#-
    The predictive CLV settings, validated at compile time so a typo fails with a message naming
    the variable: clv_time_unit (day or week), clv_horizon_periods (whole months, >= 1),
    clv_discount_rate (per month, >= 0) and clv_min_customers (whole number, >= 1). Returned as a
    dict; the Python models read them through their config.
-#}
{% macro get_clv_settings() %}
    {%- set unit = var('clv_time_unit') | string | trim | lower -%}
    {%- if unit not in ['day', 'week'] -%}
        {{ exceptions.raise_compiler_error(
            "Variable clv_time_unit must be 'day' or 'week'; got '" ~ var('clv_time_unit') ~ "'."
        ) }}
    {%- endif -%}
    {%- set horizon = var('clv_horizon_periods') | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', horizon) or (horizon | int) < 1 -%}
        {{ exceptions.raise_compiler_error(
            "Variable clv_horizon_periods must be a whole number of months >= 1; got '"
            ~ var('clv_horizon_periods') ~ "'."
        ) }}
    {%- endif -%}
    {%- set rate = var('clv_discount_rate') | string | trim -%}
    {%- if not modules.re.match('^[0-9]*[.]?[0-9]+$', rate) -%}
        {{ exceptions.raise_compiler_error(
            "Variable clv_discount_rate must be a monthly rate >= 0 such as 0.01; got '"
            ~ var('clv_discount_rate') ~ "'."
        ) }}
    {%- endif -%}
    {%- set minimum = var('clv_min_customers') | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', minimum) or (minimum | int) < 1 -%}
        {{ exceptions.raise_compiler_error(
            "Variable clv_min_customers must be a whole number >= 1; got '" ~ var('clv_min_customers') ~ "'."
        ) }}
    {%- endif -%}
    {{ return({
        'time_unit': unit,
        'unit_days': 1 if unit == 'day' else 7,
        'horizon_months': horizon | int,
        'discount_rate': rate | float,
        'min_customers': minimum | int,
    }) }}
{% endmacro %}
