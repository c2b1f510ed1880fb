{#-
    The MRR movement of one customer over one period, from their MRR at its start and at its
    end: new (0 -> positive, never paid before), reactivation (0 -> positive, paid before),
    churn (positive -> 0), expansion (up), contraction (down); null when MRR is unchanged. The
    zero tests come first, so a return from 0 is never read as expansion nor a drop to 0 as
    contraction.
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
