{#-
    One row per customer known by the end of as_of_date, as a snapshot taken at the end of the
    reporting period that contains as_of_date (the period_* columns describe that period). With
    several period_grains, the period columns are at the primary grain (the first listed).
-#}
{%- set grain = validated_var('period_grain') -%}
{%- set as_of_end = as_of_end_at() -%}

with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

spells as (

    select * from {{ ref('int_customer_active_spells_merged') }}

),

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

customer_periods as (

    select * from {{ ref('int_customer_period_runs_classified') }}
    where period_grain = '{{ grain }}'

),

survey_responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

last_period_start as (

    select max(period_start) as period_start
    from periods
    where period_grain = '{{ grain }}'

),

reporting_period as (

    -- the last period: the one containing as_of_date (complete when as_of_date is its last day)
    select periods.*
    from periods
    inner join last_period_start
        on periods.period_start = last_period_start.period_start
    where periods.period_grain = '{{ grain }}'

),

subscription_activity as (

    select
        customer_id,
        min(spell_started_at) as first_active_at,
        max(coalesce(spell_ended_at, {{ as_of_end }})) as last_active_at

    from spells
    group by customer_id

),

-- straight from the transactions (refunds included), up to the end of as_of_date: no period is
-- needed for a customer's totals
transaction_activity as (

    select
        customer_id,
        min(occurred_at) as first_active_at,
        max(occurred_at) as last_active_at,
        sum(amount) as lifetime_revenue

    from transactions
    where occurred_at < {{ as_of_end }}
    group by customer_id

),

activity as (

    {% if validated_var('activity_mode') == 'subscription' %}
    select * from subscription_activity
    {% else %}
    select
        customer_id,
        first_active_at,
        last_active_at
    from transaction_activity
    {% endif %}

),

active_now as (

    select customer_periods.customer_id

    from customer_periods
    inner join reporting_period
        -- the reporting period is the last one: a run covering it ends there
        on customer_periods.last_period_start = reporting_period.period_start
    where customer_periods.is_active_at_end

),

ranked_responses as (

    select
        customer_id,
        score,
        responded_at,
        row_number() over (
            partition by customer_id
            order by {{ latest_response_first() }}
        ) as recency_rank

    from survey_responses
    where responded_at < {{ as_of_end }}

),

latest_responses as (

    select
        customer_id,
        score as latest_nps_score,
        {{ nps_category('score') }} as latest_nps_category,
        responded_at as latest_responded_at

    from ranked_responses
    where recency_rank = 1

),

final as (

    select
        customers.customer_id,
        customers.country,
        customers.acquisition_channel,
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'activity.first_active_at') }} as date) as cohort_period_start,
        latest_responses.latest_nps_score,
        latest_responses.latest_nps_category,
        cast(coalesce(transaction_activity.lifetime_revenue, 0) as {{ dbt.type_numeric() }}) as lifetime_revenue,
        active_now.customer_id is not null as is_active,
        -- which lifetime-value model values the customer (subscriber_lifetime_value or
        -- customer_lifetime_value, on DuckDB): in subscription mode the sBG values every active
        -- subscriber; in transaction mode BG/NBD and Gamma-Gamma value every buyer
        {% if validated_var('activity_mode') == 'subscription' -%}
        case when active_now.customer_id is not null then 'sbg' end
        {%- else -%}
        case when transaction_activity.customer_id is not null then 'bg_nbd' end
        {%- endif %} as lifetime_value_model,
        reporting_period.is_complete,
        customers.created_at,
        activity.first_active_at,
        activity.last_active_at,
        latest_responses.latest_responded_at,
        reporting_period.period_start,
        reporting_period.period_end

    from customers
    left join activity
        on customers.customer_id = activity.customer_id
    left join transaction_activity
        on customers.customer_id = transaction_activity.customer_id
    left join latest_responses
        on customers.customer_id = latest_responses.customer_id
    left join active_now
        on customers.customer_id = active_now.customer_id
    left join reporting_period
        on 1 = 1
    where
        customers.created_at is null
        or customers.created_at < {{ as_of_end }}
        or activity.first_active_at is not null
        or transaction_activity.customer_id is not null
        or latest_responses.customer_id is not null

)

select * from final
