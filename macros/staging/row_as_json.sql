{#-
    The named expressions as the text of one flat JSON object, {"name": "value", ...}, every value
    a JSON string (or null), in the order given. Built with plain string functions so it reads the
    same on every engine; backslash, double quote, newline, carriage return and tab are escaped
    (chr(), not literals, because engines escape string literals differently). Used to keep a
    quarantined row's original values as text, and to compare two rows' staged content.
    `columns` is a list of [name, expression].
-#}
{% macro row_as_json(columns) -%}
    {%- set parts = [] -%}
    {%- for name, expression in columns -%}
        {%- set text = 'cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')' -%}
        {%- set escaped = 'replace(replace(replace(replace(replace(' ~ text ~ ', chr(92), chr(92) || chr(92)), chr(34), chr(92) || chr(34)), chr(10), chr(92) || \'n\'), chr(13), chr(92) || \'r\'), chr(9), chr(92) || \'t\')' -%}
        {%- do parts.append("'" ~ ('' if loop.first else ', ') ~ '"' ~ name ~ '": \' || coalesce(chr(34) || ' ~ escaped ~ " || chr(34), 'null')") -%}
    {%- endfor -%}
    '{' || {{ parts | join(' || ') }} || '}'
{%- endmacro %}
