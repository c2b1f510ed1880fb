{#-
    Reports the rows a staging base model quarantined, as a warning: one row per rejection reason
    and column, with its count, and a failure count (fail_calc) equal to the number of rejected
    rows. Bad rows do not stop the build (rejected_share_within_limit does, above the limit); this
    keeps them from going unnoticed. With store_failures, dbt's log names the table that lists the
    reasons; data_quality_by_source has the same counts for BI tools.
-#}
{% test rows_rejected(model) %}

{{ config(severity='warn', fail_calc='coalesce(sum(rejected_rows), 0)', store_failures=true) }}

with

validation_errors as (

    select
        rejection_reason,
        rejected_column,
        count(*) as rejected_rows

    from {{ model }}
    where rejection_reason is not null
    group by rejection_reason, rejected_column

)

select * from validation_errors

{% endtest %}
