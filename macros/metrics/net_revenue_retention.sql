{#-
    Net revenue retention: (MRR at start + expansion - contraction - churned) / MRR at start * 100;
    at least 0, with no upper bound; null when MRR at start is 0.
-#}
{% macro net_revenue_retention(mrr_at_start, expansion_mrr, contraction_mrr, churned_mrr) -%}
    {{ percentage(
        '(' ~ mrr_at_start ~ ') + (' ~ expansion_mrr ~ ') - (' ~ contraction_mrr ~ ') - (' ~ churned_mrr ~ ')',
        mrr_at_start
    ) }}
{%- endmacro %}
