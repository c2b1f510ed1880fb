{#-
    A date variable's value as 'YYYY-MM-DD', or a stop naming the variable when it is not a date
    written YYYY-MM-DD or is one that does not exist (2025-02-30): datetime's own error would
    name no variable.
-#}
{% macro validated_date(name, value) %}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error(
            "Variable " ~ name ~ " must be a date written YYYY-MM-DD; got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {%- set year, month, day = text[0:4] | int, text[5:7] | int, text[8:10] | int -%}
    {%- set days_in_month = 0 -%}
    {%- if year >= 1 and 1 <= month <= 12 -%}
        {%- set first_of_next = modules.datetime.date(year + 1, 1, 1) if month == 12
            else modules.datetime.date(year, month + 1, 1) -%}
        {%- set days_in_month = (first_of_next - modules.datetime.date(year, month, 1)).days -%}
    {%- endif -%}
    {%- if not 1 <= day <= days_in_month -%}
        {{ exceptions.raise_compiler_error(
            "Variable " ~ name ~ " must be a date that exists, written YYYY-MM-DD; got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
