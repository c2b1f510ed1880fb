{#-
    Fails on every raw row holding a value that staging cannot parse: a non-blank value whose
    parsed form is null. `parsers` maps raw column names to timestamp, number or whole_number
    (the staging macros parse_timestamp, parse_number and parse_whole_number). Without it, a
    typo in a raw export would turn into a silent null downstream.
-#}
{% test raw_values_parse(model, raw_table_name, parsers) %}

with

raw_rows as (

    select * from {{ raw_table(raw_table_name) }}

),

validation_errors as (

    select *
    from raw_rows
    where
        {% for column, parser in parsers.items() %}
            {%- if parser == 'timestamp' -%}
                {%- set parsed = parse_timestamp(column) -%}
            {%- elif parser == 'number' -%}
                {%- set parsed = parse_number(column) -%}
            {%- elif parser == 'whole_number' -%}
                {%- set parsed = parse_whole_number(column) -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error("raw_values_parse: unknown parser '" ~ parser ~ "'") }}
            {%- endif %}
            {% if not loop.first %}or {% endif %}({{ clean_text(column) }} is not null and ({{ parsed }}) is null)
        {%- endfor %}

)

select * from validation_errors

{% endtest %}
