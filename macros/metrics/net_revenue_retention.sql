{#- Net revenue retention, in percent. Definition: doc block net_revenue_retention_pct. -#}
{% macro net_revenue_retention(mrr_at_start, expansion_mrr, contraction_mrr, churned_mrr) -%}
    {{ percentage(
        '(' ~ mrr_at_start ~ ') + (' ~ expansion_mrr ~ ') - (' ~ contraction_mrr ~ ') - (' ~ churned_mrr ~ ')',
        mrr_at_start
    ) }}
{%- endmacro %}
