{#-
    Simple customer lifetime value: ARPA * gross margin / churn rate (as a fraction).
    Null when the churn rate is 0 (unbounded lifetime) or unknown. A negative margin keeps its sign.
-#}
{% macro cltv(arpa, gross_margin, churn_rate_pct) -%}
    {{ safe_divide('(' ~ arpa ~ ') * (' ~ gross_margin ~ ')', '(' ~ churn_rate_pct ~ ') / 100') }}
{%- endmacro %}
