{#-
    The headline figures of the whole business, one row per period_grain x period_start: the
    segment 'all' rows of the four detailed period marts side by side, with a readable period
    label. The table to point a BI tool at first: it holds one grain per row and no segments, so
    a filter on period_grain is the only one needed. Rates are rounded to 2 decimals here only;
    the detailed marts keep full precision.
-#}
with

retention as (

    select * from {{ ref('retention_by_period') }}
    where segment_type = 'all'

),

revenue as (

    select * from {{ ref('revenue_retention_by_period') }}
    where segment_type = 'all'

),

nps as (

    select * from {{ ref('nps_by_period') }}
    where segment_type = 'all'

),

cltv as (

    select * from {{ ref('cltv_by_period') }}
    where segment_type = 'all'

),

-- parts of the label: year, and the ISO year of a week (the year of its Thursday)
with_label_parts as (

    select
        *,
        cast(extract(year from period_start) as {{ dbt.type_int() }}) as label_year,
        cast(
            extract(year from {{ dbt.dateadd('day', 3, 'period_start') }}) as {{ dbt.type_int() }}
        ) as label_iso_year

    from retention

),

labelled as (

    select
        *,
        case period_grain
            when 'day' then cast(period_start as {{ dbt.type_string() }})
            when 'week' then {{ dbt.concat([
                "cast(label_iso_year as " ~ dbt.type_string() ~ ")",
                "'-W'",
                "lpad(cast(cast(extract(week from period_start) as " ~ dbt.type_int() ~ ") as "
                    ~ dbt.type_string() ~ "), 2, '0')",
            ]) }}
            when 'month' then {{ dbt.concat([
                "cast(label_year as " ~ dbt.type_string() ~ ")",
                "'-'",
                "lpad(cast(cast(extract(month from period_start) as " ~ dbt.type_int() ~ ") as "
                    ~ dbt.type_string() ~ "), 2, '0')",
            ]) }}
            when 'quarter' then {{ dbt.concat([
                "cast(label_year as " ~ dbt.type_string() ~ ")",
                "'-Q'",
                "cast(cast(extract(quarter from period_start) as " ~ dbt.type_int() ~ ") as "
                    ~ dbt.type_string() ~ ")",
            ]) }}
            else cast(label_year as {{ dbt.type_string() }})
        end as period_label

    from with_label_parts

),

final as (

    select
        labelled.period_grain,
        labelled.period_start,
        labelled.period_end,
        labelled.period_label,
        labelled.is_complete,
        labelled.customers_at_start,
        labelled.customers_at_end,
        labelled.new_customers,
        labelled.reactivated_customers,
        labelled.churned_customers,
        {{ rounded('labelled.retention_rate_pct', 2) }} as retention_rate_pct,
        {{ rounded('labelled.churn_rate_pct', 2) }} as churn_rate_pct,
        revenue.mrr_at_start,
        revenue.mrr_at_end,
        {{ rounded('revenue.gross_revenue_retention_pct', 2) }} as gross_revenue_retention_pct,
        {{ rounded('revenue.net_revenue_retention_pct', 2) }} as net_revenue_retention_pct,
        nps.responses,
        {{ rounded('nps.nps', 2) }} as nps,
        {{ rounded('nps.nps_ci_low_95', 2) }} as nps_ci_low_95,
        {{ rounded('nps.nps_ci_high_95', 2) }} as nps_ci_high_95,
        cltv.paying_customers,
        {{ rounded('cltv.arpa', 2) }} as arpa,
        {{ rounded('cltv.cltv', 2) }} as cltv

    from labelled
    left join revenue
        on
            labelled.period_grain = revenue.period_grain
            and labelled.period_start = revenue.period_start
    left join nps
        on
            labelled.period_grain = nps.period_grain
            and labelled.period_start = nps.period_start
    left join cltv
        on
            labelled.period_grain = cltv.period_grain
            and labelled.period_start = cltv.period_start

)

select * from final
