{#-
    The body of an incremental staging base model's raw_customer_groups CTE: the raw rows grouped
    by their raw customer id as it is written (" 007" and "007" are two groups of the one customer
    007, a missing one and a blank one both of customer_key ''), with
      raw_customer_id  the raw value ('' for a missing one), for finding the group's rows again
                       without trimming every raw row (raw_rows_to_rejudge);
      customer_key     the customer staging sees (macro customer_key), '' for none;
      row_count, content_hash  the group's rows and the sum of their row_hash (decimal(38, 0),
                       which cannot overflow), compared with the model's table by customers_to_rejudge.
    One pass over the raw table. `columns` are the raw columns the model reads, in a fixed order.
-#}
{% macro raw_customer_groups(raw_rows, columns) -%}
    select
        raw_customer_id,
        coalesce({{ customer_key('raw_customer_id') }}, '') as customer_key,
        row_count,
        content_hash

    from (
        select
            coalesce(cast(customer_id as {{ dbt.type_string() }}), '') as raw_customer_id,
            count(*) as row_count,
            sum(cast({{ row_hash(columns) }} as decimal(38, 0))) as content_hash
        from {{ raw_rows }}
        group by coalesce(cast(customer_id as {{ dbt.type_string() }}), '')
    ) as raw_groups
{%- endmacro %}
