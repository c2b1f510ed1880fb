{#-
    Whether an NPS change between two periods exceeds z standard errors of the difference:
    abs(change) > z x sqrt(SE_now^2 + SE_before^2) (z = 1.96: 95%, two-sided). Null when the
    change or either standard error is null (a period without responses).
-#}
{% macro is_nps_change_significant(nps_change, standard_error, previous_standard_error, z=1.96) -%}
    (abs({{ nps_change }}) > {{ z }} * sqrt(
        ({{ standard_error }}) * ({{ standard_error }})
        + ({{ previous_standard_error }}) * ({{ previous_standard_error }})
    ))
{%- endmacro %}
