{#- Retention counts per period and segment, from the per-customer classification. -#}

with

grid as (

    select * from {{ ref('int_period_segments_spined') }}

),

customer_periods as (

    select * from {{ ref('int_customer_periods_classified') }}

),

customer_segments as (

    select * from {{ ref('int_customer_segments_unpivoted') }}

),

counted as (

    select
        customer_periods.period_start,
        customer_segments.segment_type,
        customer_segments.segment_value,
        sum(case when customer_periods.is_active_at_start then 1 else 0 end) as customers_at_start,
        sum(case when customer_periods.is_active_at_end then 1 else 0 end) as customers_at_end,
        sum(case when customer_periods.is_new then 1 else 0 end) as new_customers,
        sum(case when customer_periods.is_reactivated then 1 else 0 end) as reactivated_customers,
        sum(case when customer_periods.is_retained then 1 else 0 end) as retained_customers,
        sum(case when customer_periods.is_churned then 1 else 0 end) as churned_customers,
        sum(case when customer_periods.is_joined_and_left then 1 else 0 end) as joined_and_left_customers

    from customer_periods
    inner join customer_segments
        on customer_periods.customer_id = customer_segments.customer_id
    group by
        customer_periods.period_start,
        customer_segments.segment_type,
        customer_segments.segment_value

),

final as (

    select
        grid.period_grain,
        grid.period_start,
        grid.segment_type,
        grid.segment_value,
        cast(coalesce(counted.customers_at_start, 0) as {{ dbt.type_bigint() }}) as customers_at_start,
        cast(coalesce(counted.customers_at_end, 0) as {{ dbt.type_bigint() }}) as customers_at_end,
        cast(coalesce(counted.new_customers, 0) as {{ dbt.type_bigint() }}) as new_customers,
        cast(coalesce(counted.reactivated_customers, 0) as {{ dbt.type_bigint() }}) as reactivated_customers,
        cast(coalesce(counted.retained_customers, 0) as {{ dbt.type_bigint() }}) as retained_customers,
        cast(coalesce(counted.churned_customers, 0) as {{ dbt.type_bigint() }}) as churned_customers,
        cast(
            coalesce(counted.joined_and_left_customers, 0) as {{ dbt.type_bigint() }}
        ) as joined_and_left_customers,
        grid.is_complete,
        grid.period_end

    from grid
    left join counted
        on
            grid.period_start = counted.period_start
            and grid.segment_type = counted.segment_type
            and grid.segment_value = counted.segment_value

)

select * from final
