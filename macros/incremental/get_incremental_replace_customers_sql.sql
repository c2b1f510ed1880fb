{#-
    The incremental strategy replace_customers, for the models that rebuild only the customers
    whose inputs changed (set in dbt_project.yml): the staging base models and the purchase days
    per customer. An incremental run's result holds the rows it built again and one marker row per
    customer whose rows it replaces (replaced_customer_markers): customer_id that customer (null
    for rows without one), every other column null, among them the model's meta marker_column,
    which is never null in a real row. The strategy deletes every stored row of those customers,
    and, for a model with a meta judged_key, every stored row of each key among the rows built
    again (the staging base models judge all the rows of a key together, and a key can be shared
    across customers), then inserts the rows built again; markers are never stored. All three
    statements run in the model's transaction, so a failed run leaves the table as it was.
-#}
{% macro get_incremental_replace_customers_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set result = arg_dict['temp_relation'] -%}
    {%- set marker = config.meta_get('marker_column') -%}
    {%- set key = config.meta_get('judged_key') -%}
    {%- if not marker -%}
        {{ exceptions.raise_compiler_error(
            "replace_customers: " ~ this ~ " needs the column that is null in its marker rows in config meta marker_column."
        ) }}
    {%- endif -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where coalesce(customer_id, '') in (
        select coalesce(customer_id, '') from {{ result }} where {{ marker }} is null
    );

    {% if key -%}
    delete from {{ target }}
    where {{ key }} in (select {{ key }} from {{ result }} where {{ marker }} is not null);

    {% endif -%}
    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ result }}
    where {{ marker }} is not null
{%- endmacro %}
