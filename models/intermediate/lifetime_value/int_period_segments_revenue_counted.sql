{#-
    The counts behind lifetime value per period and segment: revenue and paying customers from
    the customer-period revenue (int_transactions_aggregated_to_customer_periods), and the two
    retention counts its trailing churn is pooled from, CS and churned, from the customer-period
    classification (int_customer_period_runs_classified, counted as in
    int_period_segments_retention_counted).

    Both are counted per combination of the customer attributes that segments are made of, then
    per segment (unpivot_segments), so every segment is counted from its own customers. Revenue
    is not assigned to a plan: the grid's plan rows are left out.

    The result is dense: every attribute row of the grid int_period_segments_spined, with zeros
    where a segment has nobody, so period-over-period identities hold row by row and charts have
    no gaps.
-#}
{%- set counts = ['customers_at_start', 'churned_customers', 'paying_customers', 'revenue'] -%}

with

period_segments as (

    select * from {{ ref('int_period_segments_spined') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

-- runs of periods in which a customer's class does not change (last_period_start)
customer_periods as (

    select * from {{ ref('int_customer_period_runs_classified') }}

),

customer_revenue as (

    select * from {{ ref('int_transactions_aggregated_to_customer_periods') }}

),

grid as (

    select * from period_segments
    where segment_type != 'plan'

),

-- the customers' retention runs and revenue periods, stacked into one list of measures
customer_period_measures as (

    select
        customer_id,
        period_grain,
        period_start,
        last_period_start,
        case when is_active_at_start then 1 else 0 end as is_at_start,
        case when is_churned then 1 else 0 end as is_churned,
        0 as is_paying,
        0 as revenue
    from customer_periods

    union all

    select
        customer_id,
        period_grain,
        period_start,
        period_start as last_period_start,
        0 as is_at_start,
        0 as is_churned,
        case when is_paying then 1 else 0 end as is_paying,
        revenue
    from customer_revenue

),

-- every measure summed per run of periods and combination of the customer attributes that
-- segments are made of
run_counted_by_attribute_values as (

    select
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        sum(customer_period_measures.is_at_start) as customers_at_start,
        sum(customer_period_measures.is_churned) as churned_customers,
        sum(customer_period_measures.is_paying) as paying_customers,
        sum(customer_period_measures.revenue) as revenue,
        customer_period_measures.period_grain,
        customer_period_measures.period_start,
        customer_period_measures.last_period_start

    from customer_period_measures
    inner join customers
        on customer_period_measures.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        customer_period_measures.period_grain,
        customer_period_measures.period_start,
        customer_period_measures.last_period_start

),

-- the same per period: each run's counts in every period it covers, a few thousand rows,
-- whatever the number of customers
counted_by_attribute_values as (

    select
        {% for attribute in segment_attributes() %}
        run_counted_by_attribute_values.{{ attribute }},
        {% endfor %}
        {% for count_column in counts %}
        sum(run_counted_by_attribute_values.{{ count_column }}) as {{ count_column }},
        {% endfor %}
        periods.period_grain,
        periods.period_start

    from run_counted_by_attribute_values
    inner join periods
        on {{ run_covers_period('run_counted_by_attribute_values', 'periods') }}
    group by
        {% for attribute in segment_attributes() %}
        run_counted_by_attribute_values.{{ attribute }},
        {% endfor %}
        periods.period_grain,
        periods.period_start

),

attribute_values_in_segments as (

    {{ unpivot_segments('counted_by_attribute_values', ['period_grain', 'period_start'] + counts) }}

),

-- each segment's counts are the sums of its customers' counts, never a combination of rates
counted as (

    select
        {% for count_column in counts %}
        sum({{ count_column }}) as {{ count_column }},
        {% endfor %}
        period_grain,
        period_start,
        segment_type,
        segment_value

    from attribute_values_in_segments
    group by period_grain, period_start, segment_type, segment_value

),

final as (

    select
        grid.period_grain,
        grid.period_start,
        grid.segment_type,
        grid.segment_value,
        {% for count_column in ['customers_at_start', 'churned_customers', 'paying_customers'] %}
        cast(coalesce(counted.{{ count_column }}, 0) as {{ dbt.type_bigint() }}) as {{ count_column }},
        {% endfor %}
        cast(coalesce(counted.revenue, 0) as {{ dbt.type_numeric() }}) as revenue,
        grid.is_complete,
        grid.period_end

    from grid
    left join counted
        on
            grid.period_grain = counted.period_grain
            and grid.period_start = counted.period_start
            and grid.segment_type = counted.segment_type
            and grid.segment_value = counted.segment_value

)

select * from final
