{#-
    Whether an NPS change exceeds z standard errors of the difference (z = 1.96: 95%, two-sided).
    Definition: doc block is_nps_change_significant.
-#}
{% macro is_nps_change_significant(nps_change, standard_error, previous_standard_error, z=1.96) -%}
    (abs({{ nps_change }}) > {{ z }} * sqrt(
        ({{ standard_error }}) * ({{ standard_error }})
        + ({{ previous_standard_error }}) * ({{ previous_standard_error }})
    ))
{%- endmacro %}
