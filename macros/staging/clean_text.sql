{#-
    A raw value as trimmed text; empty or blank becomes null. Blank means only whitespace:
    spaces, tabs, line breaks, vertical tabs, form feeds and no-break spaces (U+00A0), trimmed
    alike on every engine (each engine's own trim() removes a different set).
-#}
{% macro clean_text(expression) -%}
    nullif(trim(both chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)
        from cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
