{#-
    The marker rows an incremental staging base model adds to its result, one per customer in
    `customers` (customers_to_rejudge): customer_id that customer (null for rows without one),
    every other column of `columns` (the model's columns, in order) null, row_hash among them.
    The strategy replace_judged_rows deletes the stored rows of each marker's customer and never
    stores a marker. The nulls take their types from the judged rows they are unioned with.
-#}
{% macro replaced_customer_markers(columns, customers) -%}
    select
        {%- for column in columns %}
        {{ "nullif(customer_key, '')" if column == 'customer_id' else 'null' }} as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}

    from {{ customers }}
{%- endmacro %}
