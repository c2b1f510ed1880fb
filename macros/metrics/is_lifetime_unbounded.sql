{#- Whether the expected lifetime is unbounded: the churn rate is exactly 0 (false when it is unknown). -#}
{% macro is_lifetime_unbounded(churn_rate_pct) -%}
    coalesce(({{ churn_rate_pct }}) = 0, false)
{%- endmacro %}
