{#-
    The amount one customer's MRR moved over a period as `movement` (new, reactivation,
    expansion, contraction or churn), given the movement_type of mrr_movement_type: the MRR at
    the end for new and reactivation, the rise for expansion, the fall for contraction, the MRR at
    the start for churn; 0 when the customer's movement is another one. So that per customer
    mrr_at_end = mrr_at_start + new + reactivation + expansion - contraction - churn.
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
