-- The customers mart agrees with the period marts: its active customers are CE of the last
-- period at its grain (the primary one), and its lifetime revenue adds up to the revenue of every
-- period at every grain.
-- Returns a row for each figure that disagrees.

with

customers as (

    select * from {{ ref('customers') }}

),

retention as (

    select * from {{ ref('retention_by_period') }}

),

cltv as (

    select * from {{ ref('cltv_by_period') }}

),

customer_totals as (

    select
        sum(case when is_active then 1 else 0 end) as active_customers,
        coalesce(sum(lifetime_revenue), 0) as lifetime_revenue
    from customers

),

last_period_start as (

    select max(period_start) as period_start
    from retention
    where period_grain = '{{ validated_var('period_grain') }}'

),

last_period as (

    select coalesce(sum(retention.customers_at_end), 0) as customers_at_end
    from retention
    inner join last_period_start
        on retention.period_start = last_period_start.period_start
    where
        retention.segment_type = 'all'
        and retention.period_grain = '{{ validated_var('period_grain') }}'

),

revenue_total as (

    select
        period_grain,
        sum(revenue) as revenue
    from cltv
    where segment_type = 'all'
    group by period_grain

),

validation_errors as (

    select
        'active customers vs CE of the last period' as check_name,
        cast(customer_totals.active_customers as {{ dbt.type_numeric() }}) as customers_value,
        cast(last_period.customers_at_end as {{ dbt.type_numeric() }}) as period_value
    from customer_totals
    cross join last_period
    where customer_totals.active_customers != last_period.customers_at_end

    union all

    select
        'lifetime revenue vs revenue of all ' || revenue_total.period_grain || ' periods' as check_name,
        customer_totals.lifetime_revenue as customers_value,
        revenue_total.revenue as period_value
    from customer_totals
    cross join revenue_total
    where customer_totals.lifetime_revenue != revenue_total.revenue

)

select * from validation_errors
