{#- Revenue and paying customers per period and segment. -#}

with

grid as (

    select * from {{ ref('int_period_segments_spined') }}

),

customer_periods as (

    select * from {{ ref('int_transactions_aggregated_to_customer_periods') }}

),

customer_segments as (

    select * from {{ ref('int_customer_segments_unpivoted') }}

),

summed as (

    select
        customer_periods.period_start,
        customer_segments.segment_type,
        customer_segments.segment_value,
        sum(case when customer_periods.is_paying then 1 else 0 end) as paying_customers,
        sum(customer_periods.revenue) as revenue

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
        cast(coalesce(summed.paying_customers, 0) as {{ dbt.type_bigint() }}) as paying_customers,
        cast(coalesce(summed.revenue, 0) as {{ dbt.type_numeric() }}) as revenue,
        grid.is_complete,
        grid.period_end

    from grid
    left join summed
        on
            grid.period_start = summed.period_start
            and grid.segment_type = summed.segment_type
            and grid.segment_value = summed.segment_value

)

select * from final
