-- Unbounded retention cannot grow with time: a member active in period n or later is also
-- active in period n - 1 or later. Fails on every cell with more such members than the cell before.

with

cohort_retention as (

    select * from {{ ref('cohort_retention') }}

),

final as (

    select
        later.period_grain,
        later.cohort_start,
        later.period_number,
        earlier.active_on_or_after_customers as earlier_customers,
        later.active_on_or_after_customers as later_customers

    from cohort_retention as later
    inner join cohort_retention as earlier
        on
            later.period_grain = earlier.period_grain
            and later.cohort_start = earlier.cohort_start
            and later.period_number = earlier.period_number + 1
    where later.active_on_or_after_customers > earlier.active_on_or_after_customers

)

select * from final
