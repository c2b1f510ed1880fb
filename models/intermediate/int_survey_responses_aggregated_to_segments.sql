{#- NPS counts per period and segment, from the one counted response per customer per period. -#}

with

grid as (

    select * from {{ ref('int_period_segments_spined') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_deduplicated') }}

),

customer_segments as (

    select * from {{ ref('int_customer_segments_unpivoted') }}

),

counted as (

    select
        survey_responses.period_start,
        customer_segments.segment_type,
        customer_segments.segment_value,
        count(*) as responses,
        sum(case when survey_responses.nps_category = 'promoter' then 1 else 0 end) as promoters,
        sum(case when survey_responses.nps_category = 'passive' then 1 else 0 end) as passives,
        sum(case when survey_responses.nps_category = 'detractor' then 1 else 0 end) as detractors

    from survey_responses
    inner join customer_segments
        on survey_responses.customer_id = customer_segments.customer_id
    group by
        survey_responses.period_start,
        customer_segments.segment_type,
        customer_segments.segment_value

),

final as (

    select
        grid.period_grain,
        grid.period_start,
        grid.segment_type,
        grid.segment_value,
        cast(coalesce(counted.responses, 0) as {{ dbt.type_bigint() }}) as responses,
        cast(coalesce(counted.promoters, 0) as {{ dbt.type_bigint() }}) as promoters,
        cast(coalesce(counted.passives, 0) as {{ dbt.type_bigint() }}) as passives,
        cast(coalesce(counted.detractors, 0) as {{ dbt.type_bigint() }}) as detractors,
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
