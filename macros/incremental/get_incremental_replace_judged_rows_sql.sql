{#-
    The incremental strategy replace_judged_rows, for the staging base models (set in
    dbt_project.yml). An incremental run's result holds the rows it judged again
    (raw_rows_to_rejudge) and one marker row per customer whose rows it replaces
    (customers_to_rejudge): row_hash null, customer_id that customer (null for rows without one),
    every other column null; a judged row's row_hash is never null. The strategy deletes every
    row of those customers, and every row of a key it judged again (all the rows of a key are
    judged together: the key column is the model's meta judged_key), then inserts the judged rows;
    markers are never stored. All three statements run in the model's transaction, so a failed
    run leaves the table as it was.
-#}
{% macro get_incremental_replace_judged_rows_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set result = arg_dict['temp_relation'] -%}
    {%- set key = config.meta_get('judged_key') -%}
    {%- if not key -%}
        {{ exceptions.raise_compiler_error(
            "replace_judged_rows: " ~ this ~ " needs its key column in config meta judged_key."
        ) }}
    {%- endif -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where coalesce(customer_id, '') in (
        select coalesce(customer_id, '') from {{ result }} where row_hash is null
    );

    delete from {{ target }}
    where {{ key }} in (select {{ key }} from {{ result }} where row_hash is not null);

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ result }}
    where row_hash is not null
{%- endmacro %}
