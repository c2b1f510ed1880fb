{#-
    The predictive CLV settings as one row, validated at compile time (validate_variables): the
    Python models read their settings here, so a setting is resolved and checked once, in SQL,
    like every other variable.
-#}
{%- set time_unit = validated_var('clv_time_unit') -%}

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
        cast('{{ validated_var('as_of_date') }}' as date) as as_of_date

)

select * from final
