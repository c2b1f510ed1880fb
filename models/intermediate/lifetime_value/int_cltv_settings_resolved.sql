{#-
    The predictive CLV settings as one row, validated at compile time (get_clv_settings,
    get_gross_margin, get_as_of_date): the Python models read their settings here, so a setting
    is resolved and checked once, in SQL, like every other variable.
-#}
{%- set settings = get_clv_settings() -%}

with

final as (

    select
        '{{ settings.time_unit }}' as time_unit,
        cast({{ settings.unit_days }} as {{ dbt.type_int() }}) as unit_days,
        cast({{ settings.horizon_months }} as {{ dbt.type_int() }}) as horizon_periods,
        cast({{ settings.discount_rate }} as {{ type_double() }}) as monthly_discount_rate,
        cast({{ settings.min_customers }} as {{ dbt.type_int() }}) as min_customers,
        cast({{ get_gross_margin() }} as {{ type_double() }}) as gross_margin,
        cast('{{ get_as_of_date() }}' as date) as as_of_date

)

select * from final
