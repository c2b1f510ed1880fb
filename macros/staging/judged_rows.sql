{#-
    The CTEs that judge a staging base model's raw rows, from its `source` CTE to `judged`: every
    raw row, parsed, with rejection_reason (null for the row staging keeps, else the first rule it
    breaks; see the doc block rejection_reasons) and rejected_column. The model writes its table's
    rules as arguments and its imports and `final` around the call. The CTEs, in order:
      keys_held_twice  keys held by more than one raw row: only their rows are ranked;
      parsed           `key` (through `key_expression`), the model's `parsed_columns`,
                       is_key_held_twice, each of `raw_columns` as raw_<column> (the original values,
                       for the checks and raw_values), and row_hash when `carries_row_hash`;
      checked          the first of `checks` each row fails (first_failed_check);
      ranked           rows sharing a key ranked, `kept_first` then content (rank_rows_sharing_a_key);
      judged           the verdict: the row's own checks, then duplicates of its key among rows that
                       pass them, then (with `customer_verdicts`, a CTE of (customer_id,
                       has_kept_row) from base_raw__customers) whether its customer was kept.
-#}
{% macro judged_rows(
    key,
    key_expression,
    parsed_columns,
    raw_columns,
    checks,
    kept_first,
    staged_content,
    raw_values,
    customer_verdicts=none,
    carries_row_hash=true
) -%}
keys_held_twice as (

    -- keys held by more than one raw row: only their rows are ranked (rank_rows_sharing_a_key)
    select {{ key_expression(key) }} as {{ key }}

    from source
    group by {{ key_expression(key) }}
    having count(*) > 1

),

parsed as {{ not_materialized() }} (

    select
        {{ key_expression('source.' ~ key) }} as {{ key }},
        {{ parsed_columns | trim }},
        keys_held_twice.{{ key }} is not null as is_key_held_twice,
        -- the original values, for raw_values (turned into text only for rejected rows)
        {%- for column in raw_columns %}
        source.{{ column }} as raw_{{ column }}{{ ',' if carries_row_hash or not loop.last }}
        {%- endfor %}
        {%- if carries_row_hash %}
        source.row_hash
        {%- endif %}

    from source
    left join keys_held_twice
        on {{ key_expression('source.' ~ key) }} = keys_held_twice.{{ key }}

),

checked as {{ not_materialized() }} (

    select
        *,
        {{ first_failed_check(checks, 'reason') }} as row_rejection_reason,
        {{ first_failed_check(checks, 'column') }} as row_rejected_column

    from parsed

),

ranked as (

    {{ rank_rows_sharing_a_key(
        'checked',
        key,
        kept_first ~ ', ' ~ staged_content ~ ' desc, ' ~ raw_values ~ ' desc',
        staged_content,
    ) }}

),

judged as (

    select
        ranked.*,
        case
            when ranked.row_rejection_reason is not null then ranked.row_rejection_reason
            when ranked.key_rank > 1 and ranked.is_same_content_as_kept then 'duplicate_row'
            when ranked.key_rank > 1 then 'conflicting_duplicate'
            {%- if customer_verdicts %}
            when {{ customer_verdicts }}.customer_id is null then 'orphan_customer'
            when {{ customer_verdicts }}.has_kept_row = 0 then 'customer_rejected'
            {%- endif %}
        end as rejection_reason,
        case
            when ranked.row_rejection_reason is not null then ranked.row_rejected_column
            when ranked.key_rank > 1 then '{{ key }}'
            {%- if customer_verdicts %}
            when {{ customer_verdicts }}.has_kept_row is null or {{ customer_verdicts }}.has_kept_row = 0 then 'customer_id'
            {%- endif %}
        end as rejected_column

    from ranked
    {%- if customer_verdicts %}
    left join {{ customer_verdicts }}
        on ranked.customer_id = {{ customer_verdicts }}.customer_id
    {%- endif %}

)
{%- endmacro %}
