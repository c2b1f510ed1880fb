{#-
    The body of an incremental staging base model's source CTE: the raw rows (`columns`, and their
    row_hash) to judge again in this run. They are every raw row of the customers in `customers`
    (customers_to_rejudge), and every other raw row that shares a key with one of them, in the raw
    table now or in the model's table: all the rows of every key involved, since the duplicate
    rules rank the rows of a key against each other. A key can be shared across customers (two
    customers' rows with one transaction_id), so those rows belong to customers whose own raw rows
    did not change: the other holders, found in the model's table (a new raw row always belongs
    to a customer in `customers`, whose count or content changed).
    The model's rows of `customers` and of these keys are what the strategy replace_customers
    replaces. Raw rows are found by their raw customer id (raw_customer_groups), so the raw table
    is read once more, without trimming each row; the other holders' rows once more still, which
    costs nothing when there are none.
-#}
{% macro raw_rows_to_rejudge(raw_rows, columns, key, raw_groups, customers) -%}
    {%- set column_list = columns | join(', ') -%}
    select * from (
        with

        rows_of_customers as {{ materialized() }} (
            select
                {{ column_list }},
                {{ row_hash(columns) }} as row_hash
            from {{ raw_rows }}
            where coalesce(cast(customer_id as {{ dbt.type_string() }}), '') in (
                select {{ raw_groups }}.raw_customer_id
                from {{ raw_groups }}
                inner join {{ customers }}
                    on {{ raw_groups }}.customer_key = {{ customers }}.customer_key
            )
        ),

        shared_keys as {{ materialized() }} (
            select {{ clean_text(key) }} as row_key
            from rows_of_customers
            union
            select {{ key }} as row_key
            from {{ this }}
            where coalesce(customer_id, '') in (select customer_key from {{ customers }})
        ),

        other_holders as (
            select coalesce(customer_id, '') as customer_key
            from {{ this }}
            where {{ key }} in (select row_key from shared_keys)
            except
            select customer_key from {{ customers }}
        ),

        -- stored first, so that only these few rows are trimmed to compare their keys
        rows_of_other_holders as {{ materialized() }} (
            select
                {{ column_list }},
                {{ row_hash(columns) }} as row_hash
            from {{ raw_rows }}
            where coalesce(cast(customer_id as {{ dbt.type_string() }}), '') in (
                select {{ raw_groups }}.raw_customer_id
                from {{ raw_groups }}
                inner join other_holders
                    on {{ raw_groups }}.customer_key = other_holders.customer_key
            )
        )

        select * from rows_of_customers
        union all
        select * from rows_of_other_holders
        where {{ clean_text(key) }} in (select row_key from shared_keys)
    ) as rows_to_rejudge
{%- endmacro %}
