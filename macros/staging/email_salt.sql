{#-
    The salt of the email hashes, as a SQL text expression that reads it at run time, so that it
    never appears in compiled SQL, dbt's logs or its manifest; null when no salt is set. The salt
    is the environment variable CUSTOMER_RETENTION_EMAIL_SALT, handed to each engine out of band:
      DuckDB      the session variable customer_retention_email_salt, which the profile's plugin
                  (scripts/duckdb_email_salt.py) sets on every connection;
      PostgreSQL  the setting customer_retention.email_salt, from PGOPTIONS
                  ("-c customer_retention.email_salt=..."; the Makefile exports it);
      Spark       the session conf spark.customer_retention.email_salt (profiles.yml), read
                  through Spark's ${...} variable substitution.
-#}
{% macro email_salt() %}
    {{ return(adapter.dispatch('email_salt', 'customer_retention')()) }}
{% endmacro %}

{% macro default__email_salt() -%}
    cast(null as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__email_salt() -%}
    nullif(cast(getvariable('customer_retention_email_salt') as {{ dbt.type_string() }}), '')
{%- endmacro %}

{% macro postgres__email_salt() -%}
    nullif(current_setting('customer_retention.email_salt', true), '')
{%- endmacro %}

{% macro spark__email_salt() -%}
    nullif('${spark.customer_retention.email_salt}', '')
{%- endmacro %}
