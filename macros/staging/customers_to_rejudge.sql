{#-
    The body of an incremental staging base model's customers_to_rejudge CTE: the customers
    (customer_key, '' for rows without one) whose raw rows must be judged again because a verdict
    of theirs may have changed since the model's table was built. A row's verdict depends on its
    own values, the other rows sharing its key (raw_rows_to_rejudge brings those), its customer's
    verdict in base_raw__customers and the moment of the build, so a customer is judged again when
      - its raw rows differ from the judged ones: another count or content hash (raw_customer_groups
        against the table's row_hash), which covers a new, changed or deleted row;
      - its verdict in base_raw__customers is no longer the one its rows were judged with: kept (1),
        quarantined (0) or missing (-1), as the rows that reached that check say (kept,
        customer_rejected, orphan_customer; rows rejected before it do not depend on it);
      - a row of it was a future_timestamp and that moment has passed (`event_column`);
      - it is '': rows without a customer are few (all quarantined) and always judged again.
    `customer_verdicts` is a CTE of (customer_id, has_kept_row) from base_raw__customers. The
    model's table must carry row_hash: one built before incremental staging stops the run with a
    message asking for --full-refresh.
-#}
{% macro customers_to_rejudge(raw_groups, customer_verdicts, event_column) -%}
    {#- (a unit test's `this` is a fixture CTE, which cannot be described) -#}
    {%- if execute and '__dbt__cte__' not in this | string
        and 'row_hash' not in adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {{ exceptions.raise_compiler_error(
            this ~ " has no row_hash column: it was built before staging became incremental. Rebuild it once"
            ~ " with `dbt build --full-refresh` (README, Incremental builds)."
        ) }}
    {%- endif -%}
    select coalesce(latest.customer_key, judged.customer_key) as customer_key

    from (
        select
            customer_key,
            sum(row_count) as row_count,
            sum(content_hash) as content_hash
        from {{ raw_groups }}
        group by customer_key
    ) as latest
    full outer join (
        select
            coalesce(customer_id, '') as customer_key,
            count(*) as row_count,
            sum(cast(row_hash as decimal(38, 0))) as content_hash,
            max(case
                when rejection_reason is null then 1
                when rejection_reason = 'customer_rejected' then 0
                when rejection_reason = 'orphan_customer' then -1
            end) as judged_customer_verdict,
            max(case
                when rejection_reason = 'future_timestamp' and {{ event_column }} <= {{ build_started_at() }} then 1
                else 0
            end) as has_future_row_now_past
        from {{ this }}
        group by coalesce(customer_id, '')
    ) as judged
        on latest.customer_key = judged.customer_key
    left join {{ customer_verdicts }}
        on judged.customer_key = {{ customer_verdicts }}.customer_id
    where
        coalesce(latest.customer_key, judged.customer_key) = ''
        or coalesce(latest.row_count, 0) != coalesce(judged.row_count, 0)
        or coalesce(latest.content_hash, 0) != coalesce(judged.content_hash, 0)
        or judged.has_future_row_now_past = 1
        or judged.judged_customer_verdict != coalesce({{ customer_verdicts }}.has_kept_row, -1)
{%- endmacro %}
