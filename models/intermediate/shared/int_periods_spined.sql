{%- set grains = validated_var('period_grains') -%}
{%- set as_of_end = as_of_end_at() -%}
{#- An as_of_date before every staged event would build empty marts with exit 0: stop instead.
    (Not in a unit test, whose inputs are fixture CTEs, nor before staging exists: a lint.) -#}
{%- if execute and '__dbt__cte__' not in ref('stg_raw__subscriptions') | string
    and load_relation(ref('stg_raw__survey_responses')) is not none -%}
    {%- set first_dates = run_query(
        "select min(activity_at) from ("
        ~ " select min(started_at) as activity_at from " ~ ref('stg_raw__subscriptions')
        ~ " union all select min(occurred_at) from " ~ ref('stg_raw__transactions')
        ~ " union all select min(responded_at) from " ~ ref('stg_raw__survey_responses')
        ~ ") as firsts"
    ).columns[0].values() -%}
    {%- if first_dates[0] is not none and (first_dates[0] | string)[:10] > validated_var('as_of_date') -%}
        {{ exceptions.raise_compiler_error(
            "Variable as_of_date (" ~ validated_var('as_of_date') ~ ") is before all the data: the first subscription,"
            ~ " transaction or survey answer is on " ~ (first_dates[0] | string)[:10] ~ ", so every mart would"
            ~ " be empty. Set as_of_date on or after it, or leave it unset for today."
        ) }}
    {%- endif -%}
{%- endif %}

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
        cast('{{ validated_var('as_of_date') }}' as date) as as_of_date

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
        period_start,
        -- whether the end of as_of_date is where a period starts at this grain: the period
        -- containing as_of_date has then fully elapsed
        {{ dbt.date_trunc(grain, as_of_end) }} = {{ as_of_end }} as is_as_of_end_a_period_start
    from {{ grain }}_period_starts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

with_neighbours as (

    select
        period_grain,
        period_start,
        is_as_of_end_a_period_start,
        lag(period_start) over (partition by period_grain order by period_start) as previous_period_start,
        lead(period_start) over (partition by period_grain order by period_start) as next_period_start

    from period_starts

),

final as (

    select
        period_grain,
        period_start,
        previous_period_start,
        -- complete once its end instant has passed by the end of as_of_date: every period before
        -- the last, and the last too when as_of_date is its last day
        (next_period_start is not null or is_as_of_end_a_period_start) as is_complete,
        cast(period_start as timestamp) as period_start_at,
        coalesce(cast(next_period_start as timestamp), {{ as_of_end }}) as period_end_at,
        cast(coalesce(cast(next_period_start as timestamp), {{ as_of_end }}) as date) as period_end

    from with_neighbours

)

select * from final
