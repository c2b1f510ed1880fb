{#-
    Historical CLTV per acquisition cohort (METRICS.md): the cohort's cumulative net revenue up to
    and including each period, divided by the cohort's size. Cohorts as in cohort_retention
    (int_customer_cohorts). A member's revenue from before their cohort period (a payment before
    their first subscription) counts in period 0. Only cells up to the as_of_date period exist.
-#}
{%- set grain = get_period_grain() -%}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

customer_cohorts as (

    select * from {{ ref('int_customer_cohorts') }}

),

customer_revenue as (

    select * from {{ ref('int_transactions_aggregated_to_customer_periods') }}

),

numbered_periods as (

    select
        period_start,
        is_complete,
        row_number() over (order by period_start) as period_index

    from periods

),

cohort_sizes as (

    select
        customer_cohorts.cohort_start,
        numbered_periods.period_index as cohort_index,
        count(*) as cohort_size

    from customer_cohorts
    inner join numbered_periods
        on customer_cohorts.cohort_start = numbered_periods.period_start
    group by customer_cohorts.cohort_start, numbered_periods.period_index

),

-- a member's revenue from before their cohort period counts in the cohort period
revenue_in_cohort_periods as (

    select
        customer_cohorts.cohort_start,
        customer_revenue.revenue,
        case
            when customer_revenue.period_start < customer_cohorts.cohort_start then customer_cohorts.cohort_start
            else customer_revenue.period_start
        end as period_start

    from customer_revenue
    inner join customer_cohorts
        on customer_revenue.customer_id = customer_cohorts.customer_id

),

cohort_revenue as (

    select
        cohort_start,
        period_start,
        sum(revenue) as revenue

    from revenue_in_cohort_periods
    group by cohort_start, period_start

),

cells as (

    select
        cohort_sizes.cohort_start,
        cohort_sizes.cohort_size,
        numbered_periods.period_index - cohort_sizes.cohort_index as period_number,
        numbered_periods.period_start,
        numbered_periods.is_complete,
        coalesce(cohort_revenue.revenue, 0) as revenue

    from cohort_sizes
    inner join numbered_periods
        on cohort_sizes.cohort_index <= numbered_periods.period_index
    left join cohort_revenue
        on
            cohort_sizes.cohort_start = cohort_revenue.cohort_start
            and numbered_periods.period_start = cohort_revenue.period_start

),

accumulated as (

    select
        *,
        sum(revenue) over (
            partition by cohort_start
            order by period_start
            rows between unbounded preceding and current row
        ) as cumulative_revenue

    from cells

),

final as (

    select
        '{{ grain }}' as period_grain,
        cohort_start,
        cast(period_number as {{ dbt.type_int() }}) as period_number,
        period_start,
        is_complete,
        cast(cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        cast(revenue as {{ dbt.type_numeric() }}) as revenue,
        cast(cumulative_revenue as {{ dbt.type_numeric() }}) as cumulative_revenue,
        {{ safe_divide('cumulative_revenue', 'cohort_size') }} as cumulative_revenue_per_customer

    from accumulated

)

select * from final
