{#-
    The order-by list that puts first the survey answer that counts. Definition: doc block
    responses. A numeric response_id compares as a number ('10' beats '9'), before text ids.
-#}
{% macro latest_response_first(responded_at='responded_at', response_id='response_id') -%}
    {{ responded_at }} desc,
    {{ cast_or_null(response_id, dbt.type_bigint()) }} desc nulls last,
    {{ response_id }} desc
{%- endmacro %}
