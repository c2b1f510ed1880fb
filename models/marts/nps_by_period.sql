with

period_segments as (

    select * from {{ ref('int_period_segments_aggregated') }}

),

final as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        responses,
        promoters,
        passives,
        detractors,
        {{ percentage('promoters', 'responses') }} as promoter_pct,
        {{ percentage('passives', 'responses') }} as passive_pct,
        {{ percentage('detractors', 'responses') }} as detractor_pct,
        {{ nps('promoters', 'detractors', 'responses') }} as nps,
        {{ nps_standard_error('promoters', 'detractors', 'responses') }} as nps_standard_error,
        {{ nps_margin_of_error(nps_standard_error('promoters', 'detractors', 'responses')) }}
            as nps_margin_of_error_95,
        is_complete,
        period_end

    from period_segments

)

select * from final
