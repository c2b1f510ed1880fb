{#-
    The dense grid every period-and-segment mart is built on: every period (at each grain)
    crossed with every segment. Segments: `all` always (even with no customers), every country
    and acquisition channel among the customers, and every plan that is some customer's plan at
    some instant (int_customer_mrr_steps_summed). The marts fill it with zeros where a segment
    has nobody, so period-over-period identities hold row by row and charts have no gaps.
-#}

with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

customer_segments as (

    select * from {{ ref('int_customer_segments_unpivoted') }}

),

mrr_spans as (

    select * from {{ ref('int_customer_mrr_steps_summed') }}

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

    union

    select distinct
        'plan' as segment_type,
        plan as segment_value
    from mrr_spans

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
