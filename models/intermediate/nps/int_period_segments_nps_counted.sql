{#-
    The NPS counts per period and segment, from the one counted answer per customer and period
    (int_survey_responses_deduplicated): responses, promoters, passives, detractors.

    The answers are counted per combination of the customer attributes that segments are made
    of, then per segment (unpivot_segments), so every segment is counted from its own customers.
    Answers are not assigned to a plan: the grid's plan rows are left out.

    The result is dense: every attribute row of the grid int_period_segments_spined, with zeros
    where a segment has nobody, so period-over-period identities hold row by row and charts have
    no gaps.
-#}
{%- set counts = ['responses', 'promoters', 'passives', 'detractors'] -%}

with

period_segments as (

    select * from {{ ref('int_period_segments_spined') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_deduplicated') }}

),

grid as (

    select * from period_segments
    where segment_type != 'plan'

),

-- the answers counted per period and combination of the customer attributes that segments are
-- made of, a few thousand rows, whatever the number of customers
counted_by_attribute_values as (

    select
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        count(*) as responses,
        sum(case when survey_responses.nps_category = 'promoter' then 1 else 0 end) as promoters,
        sum(case when survey_responses.nps_category = 'passive' then 1 else 0 end) as passives,
        sum(case when survey_responses.nps_category = 'detractor' then 1 else 0 end) as detractors,
        survey_responses.period_grain,
        survey_responses.period_start

    from survey_responses
    inner join customers
        on survey_responses.customer_id = customers.customer_id
    group by
        {% for attribute in segment_attributes() %}
        customers.{{ attribute }},
        {% endfor %}
        survey_responses.period_grain,
        survey_responses.period_start

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
        {% for count_column in counts %}
        cast(coalesce(counted.{{ count_column }}, 0) as {{ dbt.type_bigint() }}) as {{ count_column }},
        {% endfor %}
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
