-- Every active customer is in exactly one cohort, the one the customers mart names: cohort sizes
-- equal the customers mart's counts per cohort_period_start (at the customers mart's grain, the
-- primary one), and no cohort is missing on either side.

with

cohort_retention as (

    select * from {{ ref('cohort_retention') }}

),

customers as (

    select * from {{ ref('customers') }}

),

cohort_sizes as (

    select
        cohort_start,
        cohort_size

    from cohort_retention
    where period_number = 0 and period_grain = '{{ validated_var('period_grain') }}'

),

customers_per_cohort as (

    select
        cohort_period_start as cohort_start,
        count(*) as customers

    from customers
    where cohort_period_start is not null
    group by cohort_period_start

),

final as (

    select
        coalesce(cohort_sizes.cohort_start, customers_per_cohort.cohort_start) as cohort_start,
        cohort_sizes.cohort_size,
        customers_per_cohort.customers

    from cohort_sizes
    full outer join customers_per_cohort
        on cohort_sizes.cohort_start = customers_per_cohort.cohort_start
    where
        cohort_sizes.cohort_size is null
        or customers_per_cohort.customers is null
        or cohort_sizes.cohort_size != customers_per_cohort.customers

)

select * from final
