{#-
    Rejections per raw table and reason, for BI tools: every pair the seed rejection_reasons lists
    (zero counts included, so a clean source shows its zeros), plus any pair the quarantine holds
    that the seed does not (reason_description null, which the data tests refuse).
-#}
{%- set tables = ['customers', 'subscriptions', 'transactions', 'survey_responses', 'events'] -%}

with

reasons as (

    select * from {{ ref('rejection_reasons') }}

),

quarantined as (

    select * from {{ ref('stg_raw__quarantined_rows') }}

),

{% for table in tables %}
{{ table }} as (

    select * from {{ ref('base_raw__' ~ table) }}

),

{% endfor %}
malformed_lines as (

    select * from {{ ref('base_raw__malformed_lines') }}

),

judged_rows as (

    {% for table in tables %}
    select
        '{{ table }}' as source_table,
        count(*) as judged_rows,
        count(case when rejection_reason is null then 1 end) as staged_rows,
        {% if table in ['customers', 'subscriptions', 'events'] -%}
        count(case when has_redacted_value then 1 end) as redacted_rows
        {%- else -%}
        cast(0 as {{ dbt.type_bigint() }}) as redacted_rows
        {%- endif %}

    from {{ table }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

malformed_line_counts as (

    select
        source_table,
        count(*) as malformed_lines
    from malformed_lines
    group by source_table

),

-- a raw CSV file's malformed lines are raw rows too, none of them staged
source_rows as (

    select
        judged_rows.source_table,
        judged_rows.judged_rows + coalesce(malformed_line_counts.malformed_lines, 0) as source_raw_rows,
        judged_rows.staged_rows as source_staged_rows,
        judged_rows.redacted_rows as source_redacted_rows

    from judged_rows
    left join malformed_line_counts
        on judged_rows.source_table = malformed_line_counts.source_table

),

rejected_by_reason as (

    select
        source_table,
        rejection_reason,
        count(*) as rejected_rows

    from quarantined
    group by source_table, rejection_reason

),

reason_grid as (

    select
        source_table,
        rejection_reason
    from reasons

    union

    select
        source_table,
        rejection_reason
    from rejected_by_reason

),

final as (

    select
        reason_grid.source_table,
        reason_grid.rejection_reason,
        reasons.description as reason_description,
        source_rows.source_raw_rows,
        source_rows.source_staged_rows,
        source_rows.source_redacted_rows,
        source_rows.source_raw_rows - source_rows.source_staged_rows as source_rejected_rows,
        coalesce(rejected_by_reason.rejected_rows, 0) as rejected_rows,
        {{ percentage('coalesce(rejected_by_reason.rejected_rows, 0)', 'source_rows.source_raw_rows') }}
            as rejected_share_pct,
        {{ percentage('source_rows.source_raw_rows - source_rows.source_staged_rows', 'source_rows.source_raw_rows') }}
            as source_rejected_share_pct,
        cast({{ validated_var('max_rejected_share') }} * 100 as {{ type_double() }}) as max_rejected_share_pct,
        (
            source_rows.source_raw_rows - source_rows.source_staged_rows
            > {{ validated_var('max_rejected_share') }} * source_rows.source_raw_rows
        ) as is_source_over_limit

    from reason_grid
    inner join source_rows
        on reason_grid.source_table = source_rows.source_table
    left join reasons
        on
            reason_grid.source_table = reasons.source_table
            and reason_grid.rejection_reason = reasons.rejection_reason
    left join rejected_by_reason
        on
            reason_grid.source_table = rejected_by_reason.source_table
            and reason_grid.rejection_reason = rejected_by_reason.rejection_reason

)

select * from final
