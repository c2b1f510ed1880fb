{#-
    The start (a date) of the period containing `timestamp` at the grain named by the column
    `grain_column`: one `case` branch per grain of period_grains, each truncating as
    int_transactions_aggregated_to_customer_periods and the period spine do (dbt.date_trunc). For
    rows that already carry a grain, such as a customer's cohort at each grain joined to their
    transactions; null for a grain that is not reported.
-#}
{% macro period_start_at_grain(grain_column, timestamp) -%}
    case {{ grain_column }}
        {%- for grain in validated_var('period_grains') %}
        when '{{ grain }}' then cast({{ dbt.date_trunc(grain, timestamp) }} as date)
        {%- endfor %}
    end
{%- endmacro %}
