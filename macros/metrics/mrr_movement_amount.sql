{#-
    The amount one customer's MRR moved as `movement`, given their movement_type, 0 for another
    movement. Definitions: doc blocks new_mrr, reactivation_mrr, expansion_mrr, contraction_mrr
    and churned_mrr.
-#}
{% macro mrr_movement_amount(movement, movement_type, mrr_at_start, mrr_at_end) -%}
    {%- set amounts = {
        'new': mrr_at_end,
        'reactivation': mrr_at_end,
        'expansion': mrr_at_end ~ ' - ' ~ mrr_at_start,
        'contraction': mrr_at_start ~ ' - ' ~ mrr_at_end,
        'churn': mrr_at_start,
    } -%}
    {%- if movement not in amounts -%}
        {{ exceptions.raise_compiler_error("mrr_movement_amount: unknown movement '" ~ movement ~ "'.") }}
    {%- endif -%}
    case when {{ movement_type }} = '{{ movement }}' then {{ amounts[movement] }} else 0 end
{%- endmacro %}
