-- Unbounded event retention cannot grow with age: a member who returned at age k or later also
-- returned at age k - 1 or later. Fails on every cell with more such members than the cell before.
-- Not on Spark, where the event marts are not built (dbt_project.yml).
{{ config(enabled=target.type != 'spark') }}

with

event_retention as (

    select * from {{ ref('event_retention') }}

),

final as (

    select
        later.report_name,
        later.cohort_grain,
        later.window_type,
        later.segment_type,
        later.segment_value,
        later.cohort_start,
        later.period_number,
        earlier.retained_on_or_after_users as earlier_users,
        later.retained_on_or_after_users as later_users

    from event_retention as later
    inner join event_retention as earlier
        on
            later.report_name = earlier.report_name
            and later.cohort_grain = earlier.cohort_grain
            and later.window_type = earlier.window_type
            and later.segment_type = earlier.segment_type
            and later.segment_value = earlier.segment_value
            and later.cohort_start = earlier.cohort_start
            and later.period_number = earlier.period_number + 1
    where later.retained_on_or_after_users > earlier.retained_on_or_after_users

)

select * from final
