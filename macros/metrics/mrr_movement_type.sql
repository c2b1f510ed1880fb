{#-
    The MRR movement of one customer over one period (new, reactivation, churn, expansion,
    contraction; null when unchanged). Definition and test order: doc block mrr_movement_order.
-#}
{% macro mrr_movement_type(mrr_at_start, mrr_at_end, has_paid_before) -%}
    case
        when {{ mrr_at_start }} = 0 and {{ mrr_at_end }} > 0 and not {{ has_paid_before }} then 'new'
        when {{ mrr_at_start }} = 0 and {{ mrr_at_end }} > 0 then 'reactivation'
        when {{ mrr_at_start }} > 0 and {{ mrr_at_end }} = 0 then 'churn'
        when {{ mrr_at_end }} > {{ mrr_at_start }} then 'expansion'
        when {{ mrr_at_end }} < {{ mrr_at_start }} then 'contraction'
    end
{%- endmacro %}
