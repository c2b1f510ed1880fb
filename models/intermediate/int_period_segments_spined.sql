{#-
    The dense grid behind every period mart: each period crossed with each segment, so that a
    segment with nobody in it in some period still has its row (with zero counts and null rates)
    and period-over-period identities can be checked row by row. The `all` segment is always there.
-#}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

customer_segments as (

    select * from {{ ref('int_customer_segments_unpivoted') }}

),

segments as (

    select
        'all' as segment_type,
        'all' as segment_value

    union

    select distinct
        segment_type,
        segment_value
    from customer_segments

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        segments.segment_type,
        segments.segment_value,
        periods.is_complete,
        periods.period_end

    from periods
    cross join segments

)

select * from final
