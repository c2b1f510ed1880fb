{#-
    The average event retention curve: per report x cohort grain x window x segment x age, the
    complete cells of event_retention summed, weighted by cohort size (doc block
    event_summary_retention).
-#}

with

event_retention as (

    select * from {{ ref('event_retention') }}

),

complete_cells as (

    select
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        period_number,
        count(*) as cohorts_averaged,
        sum(cohort_size) as cohort_users,
        sum(retained_users) as retained_users,
        sum(retained_on_or_after_users) as retained_on_or_after_users

    from event_retention
    where is_complete
    group by
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        period_number

),

final as (

    select
        report_name,
        cohort_grain,
        window_type,
        segment_type,
        segment_value,
        period_number,
        cast(cohorts_averaged as {{ dbt.type_bigint() }}) as cohorts_averaged,
        cast(cohort_users as {{ dbt.type_bigint() }}) as cohort_users,
        cast(retained_users as {{ dbt.type_bigint() }}) as retained_users,
        cast(retained_on_or_after_users as {{ dbt.type_bigint() }}) as retained_on_or_after_users,
        {{ percentage('retained_users', 'cohort_users') }} as retention_pct,
        {{ percentage('retained_on_or_after_users', 'cohort_users') }} as retention_on_or_after_pct

    from complete_cells

)

select * from final
