{#- Gross revenue retention, in percent. Definition: doc block gross_revenue_retention_pct. -#}
{% macro gross_revenue_retention(mrr_at_start, churned_mrr, contraction_mrr) -%}
    {{ percentage('(' ~ mrr_at_start ~ ') - (' ~ churned_mrr ~ ') - (' ~ contraction_mrr ~ ')', mrr_at_start) }}
{%- endmacro %}
