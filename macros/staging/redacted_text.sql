{#-
    A raw text value, or 'redacted' when it holds something that looks like an email address
    (contains_email): an address typed into country or plan, or kept in a quarantined row's
    raw_values. trimmed=true gives the value as staging keeps it (clean_text: trimmed, blank as
    null); trimmed=false the original text, for raw_values. No address reaches a mart through an
    attribute; data_quality_by_source counts the rows whose attributes were redacted.
-#}
{% macro redacted_text(expression, trimmed=true) -%}
    case
        when {{ contains_email(clean_text(expression)) }} then 'redacted'
        else {{ clean_text(expression) if trimmed else 'cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')' }}
    end
{%- endmacro %}
