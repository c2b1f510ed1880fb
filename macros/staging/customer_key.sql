{#-
    A raw customer id as staging keeps it, in every table alike so that a customer's rows join:
    the trimmed text (clean_text), or, when it holds an email address (B2C systems often key
    customers by it), the salted hash of that address (salted_email_hash), which is null without a
    salt. An id never reaches a mart as an email address.
-#}
{% macro customer_key(expression) -%}
    case
        when {{ contains_email(clean_text(expression)) }} then {{ salted_email_hash(expression) }}
        else {{ clean_text(expression) }}
    end
{%- endmacro %}
