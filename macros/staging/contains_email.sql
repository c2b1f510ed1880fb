{#-
    True when the text holds something that looks like an email address anywhere in it
    (name@domain.tld), null when it is null. The one pattern the staging redaction and the marts'
    contains_no_email_address test share. A partial match, which each engine spells differently.
-#}
{% macro contains_email(expression) %}
    {{ return(adapter.dispatch('contains_email', 'customer_retention')(expression)) }}
{% endmacro %}

{% macro email_pattern() -%}
    {{ return('[^@ ]+@[^@ ]+[.][^@ ]+') }}
{%- endmacro %}

{% macro default__contains_email(expression) -%}
    regexp_like({{ expression }}, '{{ email_pattern() }}')
{%- endmacro %}

{% macro duckdb__contains_email(expression) -%}
    regexp_matches({{ expression }}, '{{ email_pattern() }}')
{%- endmacro %}

{% macro postgres__contains_email(expression) -%}
    ({{ expression }} ~ '{{ email_pattern() }}')
{%- endmacro %}

{% macro spark__contains_email(expression) -%}
    ({{ expression }} rlike '{{ email_pattern() }}')
{%- endmacro %}
