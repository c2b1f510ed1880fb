{#-
    A join key for an email address that is not the address: SHA-256 of the salt (email_salt)
    followed by the trimmed, lower-cased address. Without a salt the result is null: an unsalted
    hash of an email address can be reversed by hashing a list of addresses, so none is kept. A
    blank address is null too.
-#}
{% macro salted_email_hash(expression) -%}
    {{ sha256_hex(email_salt() ~ ' || lower(' ~ clean_text(expression) ~ ')') }}
{%- endmacro %}
