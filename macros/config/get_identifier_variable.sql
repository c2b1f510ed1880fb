{#-
    A variable that names a schema, a database or a role, validated as a plain SQL identifier: a
    letter or underscore, then letters, digits or underscores, at most 63 characters (PostgreSQL's
    limit). Such a name needs no escaping inside quotes, on any of the three engines, so a value
    cannot end a quoted name and add SQL of its own. lowercase_only is for names that dbt itself
    writes unquoted (its grant statements): PostgreSQL folds those to lower case, so only a
    lowercase name is the same role quoted and unquoted. none stays none when nullable.
-#}
{% macro get_identifier_variable(name, nullable=false, lowercase_only=false) %}
    {%- set value = var(name, none) -%}
    {%- if value is none and nullable -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set pattern = '^[a-z_][a-z0-9_]*$' if lowercase_only else '^[A-Za-z_][A-Za-z0-9_]*$' -%}
    {%- if value is not string or not modules.re.match(pattern, value) or value | length > 63 -%}
        {{ exceptions.raise_compiler_error(
            "Variable " ~ name ~ " must be an identifier: a "
            ~ ("lowercase " if lowercase_only else "") ~ "letter or underscore, then "
            ~ ("lowercase " if lowercase_only else "") ~ "letters, digits or underscores,"
            ~ " at most 63 characters; got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
