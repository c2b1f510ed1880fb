with

period_segments as (

    select * from {{ ref('int_period_segments_nps_counted') }}

),

measured as (

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
        {{ nps_adjusted_wald_bound('promoters', 'detractors', 'responses', 'low') }} as nps_ci_low_95,
        {{ nps_adjusted_wald_bound('promoters', 'detractors', 'responses', 'high') }} as nps_ci_high_95,
        is_complete,
        period_end

    from period_segments

),

with_previous as (

    select
        *,
        lag(nps) over (
            partition by period_grain, segment_type, segment_value order by period_start
        ) as previous_nps,
        lag(nps_standard_error) over (
            partition by period_grain, segment_type, segment_value order by period_start
        ) as previous_nps_standard_error

    from measured

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
        promoter_pct,
        passive_pct,
        detractor_pct,
        nps,
        nps_standard_error,
        nps_margin_of_error_95,
        nps_ci_low_95,
        nps_ci_high_95,
        nps - previous_nps as nps_change,
        {{ is_nps_change_significant('nps - previous_nps', 'nps_standard_error', 'previous_nps_standard_error') }}
            as is_nps_change_significant,
        is_complete,
        period_end

    from with_previous

)

select * from final
