{#-
    Fails on every value of every text column of the model that looks like an email address
    (macro contains_email), naming the column. On every mart, so that no address reaches a BI tool,
    a published file or a Parquet export on any build, whatever column it arrived in.
-#}
{% test contains_no_email_address(model) %}

{%- set text_columns = [] -%}
{%- if execute -%}
    {#- Spark's text type is `string`, which dbt's is_string() does not know -#}
    {%- for column in adapter.get_columns_in_relation(model)
        if column.is_string() or column.dtype | lower == 'string' -%}
        {%- do text_columns.append(column.name) -%}
    {%- endfor -%}
{%- endif %}

with

validation_errors as (

    {% for column in text_columns %}
    select '{{ column }}' as column_name
    from {{ model }}
    where {{ contains_email(adapter.quote(column)) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not text_columns %}
    select cast(null as {{ dbt.type_string() }}) as column_name
    where 1 = 0
    {% endif %}

)

select * from validation_errors

{% endtest %}
