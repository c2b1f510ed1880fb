{#-
    The body of a staging base model's `ranked` CTE: every row of `rows`, with key_rank (1 for the
    row kept among the rows that share its key and its row-check outcome) and
    is_same_content_as_kept (whether its staged content equals that kept row's).

    Only rows whose key is held by more than one raw row (is_key_held_twice, from a group by on
    the key) are ranked; every other row is rank 1 of its own key. Ranking all rows would sort
    every raw row by its key and its content as text (the slowest step of staging at millions of
    rows), for the rare key that needs it. The kept row is the first in `order_by`; rows are
    ranked among those that pass the row checks, and separately among those that fail them.
-#}
{% macro rank_rows_sharing_a_key(rows, key, order_by, staged_content) -%}
    select
        *,
        row_number() over (
            partition by {{ key }}, row_rejection_reason is null
            order by {{ order_by }}
        ) as key_rank,
        {{ staged_content }} = first_value({{ staged_content }}) over (
            partition by {{ key }}, row_rejection_reason is null
            order by {{ order_by }}
            rows between unbounded preceding and unbounded following
        ) as is_same_content_as_kept

    from {{ rows }}
    where is_key_held_twice

    union all

    select
        *,
        1 as key_rank,
        true as is_same_content_as_kept

    from {{ rows }}
    where not is_key_held_twice
{%- endmacro %}
