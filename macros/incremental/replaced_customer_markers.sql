{#-
    The marker rows an incremental model of the strategy replace_customers adds to its result,
    one per customer in `customers` (a CTE with customer_key, '' for rows without a customer:
    customers_to_rejudge in staging): customer_id that customer (null for ''), every other column
    of `columns` (the model's columns, in order) null, its meta marker_column among them. The
    strategy deletes the stored rows of each marker's customer and never stores a marker. The
    nulls take their types from the rows they are unioned with.
-#}
{% macro replaced_customer_markers(columns, customers) -%}
    select
        {%- for column in columns %}
        {{ "nullif(customer_key, '')" if column == 'customer_id' else 'null' }} as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}

    from {{ customers }}
{%- endmacro %}
