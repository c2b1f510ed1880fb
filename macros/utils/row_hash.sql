{#-
    A 64-bit hash of a row's values (a list of SQL expressions), never null: rows whose values are
    equal, type for type and null for null, hash alike, and two different rows almost never do
    (about 2^-64). The incremental staging base models store it beside each raw row's verdict, to
    tell which customers' raw rows changed since the last run (customers_to_rejudge). Neither
    cryptographic nor salted, so never taken over personal data such as an email address.
-#}
{% macro row_hash(expressions) %}
    {{ return(adapter.dispatch('row_hash', 'customer_retention')(expressions)) }}
{% endmacro %}

{% macro default__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{#- a row value's text quotes every field that needs it, and leaves null fields empty -#}
{% macro postgres__row_hash(expressions) -%}
    hashtextextended(cast(row({{ expressions | join(', ') }}) as text), 0)
{%- endmacro %}

{% macro spark__row_hash(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}
