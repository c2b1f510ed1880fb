{#-
    Churn by NPS category: for each period, the customers active at its start (CS) split by the
    category of their latest NPS answer before that start, and how many of them churned in the
    period. Definition: doc block nps_category_at_start.

    Counted without expanding customers to periods: each customer's answers become spells of
    periods with one category (an answer counts from the period after the one it was given in,
    through the period of the customer's next answer; 'no answer' until the first), the spells
    are intersected with the customer's runs of periods (int_customer_period_runs_classified),
    the intersections are counted, and the counts are expanded to periods (run_covers_period).
-#}
with

customer_periods as (

    select * from {{ ref('int_customer_period_runs_classified') }}

),

answers as (

    select * from {{ ref('int_survey_responses_deduplicated') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

-- each counted answer and the period of the same customer's next one
answers_with_next as (

    select
        customer_id,
        period_grain,
        period_start as answered_in_period_start,
        nps_category,
        lead(period_start) over (
            partition by customer_id, period_grain
            order by period_start
        ) as next_answered_in_period_start

    from answers

),

-- an answer holds from the period after the one it was given in (it is not before that period's
-- start) through the period in which the next answer is given; the last one holds on
answer_spells as (

    select
        answers_with_next.customer_id,
        answers_with_next.period_grain,
        answers_with_next.nps_category,
        periods.period_start as first_period_start,
        answers_with_next.next_answered_in_period_start as last_period_start

    from answers_with_next
    inner join periods
        on
            answers_with_next.period_grain = periods.period_grain
            and answers_with_next.answered_in_period_start = periods.previous_period_start

),

-- before a customer's first answer, through the period in which it is given
no_answer_spells as (

    select
        customer_id,
        period_grain,
        'no answer' as nps_category,
        cast(null as date) as first_period_start,
        min(answered_in_period_start) as last_period_start

    from answers_with_next
    group by customer_id, period_grain

),

category_spells as (

    select * from answer_spells
    union all
    select * from no_answer_spells

),

-- the periods of each run in which the customer is active at the start, cut where the category
-- changes; a customer who never answered keeps 'no answer' for the whole run
runs_by_category as (

    select
        customer_periods.period_grain,
        coalesce(category_spells.nps_category, 'no answer') as nps_category,
        case
            when
                category_spells.first_period_start is null
                or category_spells.first_period_start < customer_periods.period_start
                then customer_periods.period_start
            else category_spells.first_period_start
        end as period_start,
        case
            when
                category_spells.last_period_start is null
                or category_spells.last_period_start > customer_periods.last_period_start
                then customer_periods.last_period_start
            else category_spells.last_period_start
        end as last_period_start,
        customer_periods.is_churned

    from customer_periods
    left join category_spells
        on
            customer_periods.customer_id = category_spells.customer_id
            and customer_periods.period_grain = category_spells.period_grain
            and (
                category_spells.first_period_start is null
                or customer_periods.last_period_start >= category_spells.first_period_start
            )
            and (
                category_spells.last_period_start is null
                or customer_periods.period_start <= category_spells.last_period_start
            )
    where customer_periods.is_active_at_start

),

-- a few rows per category and stretch of periods, whatever the number of customers
run_counted as (

    select
        period_grain,
        nps_category,
        period_start,
        last_period_start,
        count(*) as customers_at_start,
        sum(case when is_churned then 1 else 0 end) as churned_customers

    from runs_by_category
    group by period_grain, nps_category, period_start, last_period_start

),

counted as (

    select
        periods.period_grain,
        periods.period_start,
        run_counted.nps_category,
        sum(run_counted.customers_at_start) as customers_at_start,
        sum(run_counted.churned_customers) as churned_customers

    from run_counted
    inner join periods
        on {{ run_covers_period('run_counted', 'periods') }}
    group by periods.period_grain, periods.period_start, run_counted.nps_category

),

-- every period with all four categories, zeros where a category has nobody
categories as (

    {% for category in ['promoter', 'passive', 'detractor', 'no answer'] %}
    select '{{ category }}' as nps_category
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.is_complete,
        categories.nps_category

    from periods
    cross join categories

),

final as (

    select
        grid.period_grain,
        grid.period_start,
        grid.nps_category,
        cast(coalesce(counted.customers_at_start, 0) as {{ dbt.type_bigint() }}) as customers_at_start,
        cast(coalesce(counted.churned_customers, 0) as {{ dbt.type_bigint() }}) as churned_customers,
        {{ churn_rate(
            'coalesce(counted.churned_customers, 0)',
            'coalesce(counted.customers_at_start, 0)'
        ) }} as churn_rate_pct,
        grid.is_complete,
        grid.period_end

    from grid
    left join counted
        on
            grid.period_grain = counted.period_grain
            and grid.period_start = counted.period_start
            and grid.nps_category = counted.nps_category

)

select * from final
