{#-
    A join key for an email address that is not the address: SHA-256 of the salt followed by the
    trimmed, lower-cased address, with the salt read from the environment variable
    CUSTOMER_RETENTION_EMAIL_SALT. Without the salt the result is null: an unsalted hash of an
    email address can be reversed by hashing a list of addresses, so none is kept. A blank address
    is null too. The salt appears in dbt's compiled SQL under target/ (kept out of git).
-#}
{% macro salted_email_hash(expression) -%}
    {%- set salt = env_var('CUSTOMER_RETENTION_EMAIL_SALT', '') -%}
    {%- set address = 'lower(' ~ clean_text(expression) ~ ')' -%}
    {%- if salt == '' -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        case
            when {{ address }} is not null
                then {{ sha256_hex("'" ~ salt | replace("'", "''") ~ "' || " ~ address) }}
        end
    {%- endif -%}
{%- endmacro %}
