{#- Whether the expected lifetime is unbounded. Definition: doc block is_lifetime_unbounded. -#}
{% macro is_lifetime_unbounded(churn_rate_pct) -%}
    coalesce(({{ churn_rate_pct }}) = 0, false)
{%- endmacro %}
