{#-
    The BG/NBD model's backtest (doc block bg_nbd_backtest), as in Fader, Hardie & Lee (2005) on
    CDNOW: per group of customers by their repeat purchase days before the holdout (x = 0 ... 6,
    and 7+), and for all of them, the holdout's purchase days the calibration fit predicted
    (int_customer_holdout_purchases_predicted) against those made.
-#}

with

predicted as (

    select * from {{ ref('int_customer_holdout_purchases_predicted') }}

),

settings as (

    select * from {{ ref('int_cltv_settings_resolved') }}

),

grouped as (

    select
        case when frequency >= 7 then '7+' else cast(frequency as {{ dbt.type_string() }}) end as frequency_group,
        actual_purchases,
        -- as decimals, exactly, so that the sums do not depend on the order the rows are read
        -- in (a sum of doubles does, in its last bits)
        cast(predicted_purchases as decimal(38, 12)) as predicted_purchases

    from predicted

),

group_totals as (

    select
        frequency_group,
        count(*) as customers,
        sum(actual_purchases) as actual_purchases,
        sum(predicted_purchases) as predicted_purchases

    from grouped
    group by frequency_group

),

overall_total as (

    select
        'all' as frequency_group,
        count(*) as customers,
        sum(actual_purchases) as actual_purchases,
        sum(predicted_purchases) as predicted_purchases

    from grouped
    -- no row at all when there is no prediction (the calibration fit did not converge)
    having count(*) > 0

),

totals as (

    select * from group_totals
    union all
    select * from overall_total

),

final as (

    select
        cast(totals.frequency_group as {{ dbt.type_string() }}) as frequency_group,
        cast(totals.customers as {{ dbt.type_bigint() }}) as customers,
        cast(totals.actual_purchases as {{ dbt.type_bigint() }}) as actual_purchases,
        cast(totals.predicted_purchases as {{ type_double() }}) as predicted_purchases,
        {{ safe_divide('totals.actual_purchases', 'totals.customers') }} as actual_purchases_per_customer,
        {{ safe_divide('totals.predicted_purchases', 'totals.customers') }} as predicted_purchases_per_customer,
        {{ percentage('totals.predicted_purchases - totals.actual_purchases', 'totals.actual_purchases') }}
            as error_pct,
        settings.holdout_length,
        settings.time_unit,
        settings.holdout_periods,
        settings.holdout_start_date,
        settings.as_of_date

    from totals
    cross join settings

)

select * from final
