{#-
    The order-by list that puts the survey answer that counts first: the latest responded_at;
    at the same instant the highest response_id, compared as a number when it is one (so '10'
    beats '9'; numeric ids before text ids), else as text.
-#}
{% macro latest_response_first(responded_at='responded_at', response_id='response_id') -%}
    {{ responded_at }} desc,
    {{ cast_or_null(response_id, dbt.type_bigint()) }} desc nulls last,
    {{ response_id }} desc
{%- endmacro %}
