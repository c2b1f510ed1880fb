{#-
    The predictive CLV settings as one row, validated at compile time (validate_variables): the
    Python models read their settings here, so a setting is resolved and checked once, in SQL,
    like every other variable. The BG/NBD backtest's holdout starts where the sBG backtest's does
    at the primary grain (period_grain): at the start of the H-th last period, H =
    cltv_holdout_periods, the period containing as_of_date counted as the last; it runs to the
    end of as_of_date.
-#}
{%- set time_unit = validated_var('clv_time_unit') -%}
{%- set grain = validated_var('period_grain') -%}
{%- set as_of = "cast('" ~ validated_var('as_of_date') ~ "' as date)" -%}
{%- set holdout_start = dbt.dateadd(grain, 1 - validated_var('cltv_holdout_periods'), dbt.date_trunc(grain, as_of)) -%}

with

final as (

    select
        '{{ time_unit }}' as time_unit,
        cast({{ 1 if time_unit == 'day' else 7 }} as {{ dbt.type_int() }}) as unit_days,
        cast({{ validated_var('clv_horizon_periods') }} as {{ dbt.type_int() }}) as horizon_periods,
        cast({{ validated_var('clv_discount_rate') }} as {{ type_double() }}) as monthly_discount_rate,
        cast({{ validated_var('clv_min_customers') }} as {{ dbt.type_int() }}) as min_customers,
        cast({{ validated_var('gross_margin') }} as {{ type_double() }}) as gross_margin,
        cast({{ validated_var('sbg_horizon_periods') }} as {{ dbt.type_int() }}) as sbg_horizon_periods,
        cast({{ validated_var('sbg_annual_discount_rate') }} as {{ type_double() }}) as sbg_annual_discount_rate,
        cast({{ validated_var('cltv_holdout_periods') }} as {{ dbt.type_int() }}) as holdout_periods,
        cast({{ holdout_start }} as date) as holdout_start_date,
        -- t*, the holdout's length: its days, the day of as_of_date included, in the time unit
        cast({{ dbt.datediff(holdout_start, as_of, 'day') }} + 1 as {{ type_double() }})  -- noqa: LT05
        / {{ 1 if time_unit == 'day' else 7 }} as holdout_length,
        {{ as_of }} as as_of_date

)

select * from final
