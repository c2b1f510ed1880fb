{#-
    A case expression over an ordered list of row checks, each [condition, rejection_reason,
    column]: the reason (part='reason') or the column (part='column') of the first check whose
    condition is true, or null when the row passes them all. Each staging base model lists its
    checks once and renders both columns from the same list, so they cannot disagree.
-#}
{% macro first_failed_check(checks, part) -%}
    {%- if part not in ['reason', 'column'] -%}
        {{ exceptions.raise_compiler_error("first_failed_check: part must be 'reason' or 'column'; got '" ~ part ~ "'.") }}
    {%- endif -%}
    case
        {%- for condition, reason, column in checks %}
        when {{ condition }} then '{{ reason if part == 'reason' else column }}'
        {%- endfor %}
    end
{%- endmacro %}
