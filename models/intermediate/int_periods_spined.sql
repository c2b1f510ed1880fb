{%- set grains = get_period_grains() -%}
{%- set as_of_end = as_of_end_at() -%}

with

subscriptions as (

    select * from {{ ref('stg_raw__subscriptions') }}

),

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

survey_responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

activity_instants as (

    select started_at as activity_at from subscriptions
    union all
    select occurred_at as activity_at from transactions
    union all
    select responded_at as activity_at from survey_responses

),

bounds as (

    select
        cast(min(activity_at) as date) as first_activity_date,
        cast('{{ get_as_of_date() }}' as date) as as_of_date

    from activity_instants
    where activity_at < {{ as_of_end }}

),

{% for grain in grains %}
{{ grain }}_period_starts as (

    {{ period_starts(grain, 'bounds', 'first_activity_date', 'as_of_date') }}

),

{% endfor %}
period_starts as (

    {% for grain in grains %}
    select
        '{{ grain }}' as period_grain,
        period_start
    from {{ grain }}_period_starts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

with_neighbours as (

    select
        period_grain,
        period_start,
        lag(period_start) over (partition by period_grain order by period_start) as previous_period_start,
        lead(period_start) over (partition by period_grain order by period_start) as next_period_start

    from period_starts

),

final as (

    select
        period_grain,
        period_start,
        previous_period_start,
        next_period_start is not null as is_complete,
        cast(period_start as timestamp) as period_start_at,
        coalesce(cast(next_period_start as timestamp), {{ as_of_end }}) as period_end_at,
        cast(coalesce(cast(next_period_start as timestamp), {{ as_of_end }}) as date) as period_end

    from with_neighbours

)

select * from final
