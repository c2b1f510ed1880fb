{#- Gross revenue retention: (MRR at start - churned - contraction) / MRR at start * 100; null when MRR at start is 0. -#}
{% macro gross_revenue_retention(mrr_at_start, churned_mrr, contraction_mrr) -%}
    {{ percentage('(' ~ mrr_at_start ~ ') - (' ~ churned_mrr ~ ') - (' ~ contraction_mrr ~ ')', mrr_at_start) }}
{%- endmacro %}
