{#-
    Fails (one row) when the share of a raw table's rows that were quarantined exceeds
    max_rejected_share: a mostly broken export stops the pipeline instead of feeding the marts a
    fraction of the data. judged_rows is the staging base model holding every raw row and its
    rejection_reason; malformed_lines (base_raw__malformed_lines) adds the source_table's malformed
    CSV lines, raw rows that are all rejected. The test is attached to the staging model that
    keeps the good rows, so dbt build skips everything downstream of that source, while the
    quarantine and data_quality_by_source (which read the base model) are still built to show why.
-#}
{% test rejected_share_within_limit(model, judged_rows, malformed_lines, source_table) %}

with

judged_counts as (

    select
        count(*) as judged_rows,
        coalesce(sum(case when rejection_reason is not null then 1 else 0 end), 0) as rejected_rows

    from {{ judged_rows }}

),

malformed_counts as (

    select count(*) as malformed_lines
    from {{ malformed_lines }}
    where source_table = '{{ source_table }}'

),

row_counts as (

    select
        judged_counts.judged_rows + malformed_counts.malformed_lines as raw_rows,
        judged_counts.rejected_rows + malformed_counts.malformed_lines as rejected_rows

    from judged_counts
    cross join malformed_counts

),

validation_errors as (

    select
        raw_rows,
        rejected_rows,
        {{ safe_divide('rejected_rows', 'raw_rows') }} as rejected_share,
        {{ validated_var('max_rejected_share') }} as max_rejected_share

    from row_counts
    where rejected_rows > {{ validated_var('max_rejected_share') }} * raw_rows

)

select * from validation_errors

{% endtest %}
