{#-
    The sBG model's backtest (doc block sbg_backtest): at each grain and segment, the model fitted
    on the data before the last cltv_holdout_periods periods (the calibration fit of
    int_cltv_retention_projections_fitted) projects how many of each cohort's members alive at
    the holdout's start are still alive h = 1 ... H periods later, n x S(a + h) / S(a) with a the
    cohort's age then, and the projection is compared with the survivors observed. Summed over
    the cohorts that had started before the holdout.
-#}
{%- set holdout = validated_var('cltv_holdout_periods') %}

with

fitted as (

    select * from {{ ref('int_cltv_retention_projections_fitted') }}

),

lifetimes as (

    select * from {{ ref('int_cltv_subscriber_lifetimes_counted') }}

),

series as (

    {{ dbt.generate_series(holdout) }}

),

horizons as (

    select cast(generated_number as {{ dbt.type_int() }}) as holdout_period
    from series

),

calibration_fits as (

    select
        period_grain,
        segment_type,
        segment_value,
        alpha,
        beta

    from fitted
    where fit_window = 'calibration' and converged

),

-- each cohort that had started before the holdout, at each holdout period: its age at the
-- holdout's start, its members alive then, and those alive h periods later
cohort_periods as (

    select
        lifetimes.period_grain,
        lifetimes.segment_type,
        lifetimes.segment_value,
        lifetimes.cohort_start,
        horizons.holdout_period,
        lifetimes.last_observed_age - {{ holdout }} as calibration_age,
        sum(
            case
                when lifetimes.renewals_survived >= lifetimes.last_observed_age - {{ holdout }}
                    then lifetimes.customers
                else 0
            end
        ) as alive_at_calibration_end,
        sum(
            case
                when
                    lifetimes.renewals_survived
                    >= lifetimes.last_observed_age - {{ holdout }} + horizons.holdout_period
                    then lifetimes.customers
                else 0
            end
        ) as actual_survivors

    from lifetimes
    cross join horizons
    where lifetimes.last_observed_age >= {{ holdout }}
    group by
        lifetimes.period_grain,
        lifetimes.segment_type,
        lifetimes.segment_value,
        lifetimes.cohort_start,
        horizons.holdout_period,
        lifetimes.last_observed_age

),

-- S(a + h) / S(a) = r(a + 1) x ... x r(a + h), as a running sum of logs over h
projected as (

    select
        cohort_periods.*,
        cohort_periods.alive_at_calibration_end * exp(sum(ln(
            {{ sbg_renewal_rate('calibration_fits.alpha', 'calibration_fits.beta',
                'cohort_periods.calibration_age + cohort_periods.holdout_period') }}
        )) over (
            partition by
                cohort_periods.period_grain,
                cohort_periods.segment_type,
                cohort_periods.segment_value,
                cohort_periods.cohort_start
            order by cohort_periods.holdout_period
            rows between unbounded preceding and current row
        )) as projected_survivors

    from cohort_periods
    inner join calibration_fits
        on
            cohort_periods.period_grain = calibration_fits.period_grain
            and cohort_periods.segment_type = calibration_fits.segment_type
            and cohort_periods.segment_value = calibration_fits.segment_value

),

final as (

    select
        period_grain,
        segment_type,
        segment_value,
        holdout_period,
        count(*) as cohorts,
        sum(alive_at_calibration_end) as customers_at_risk,
        sum(actual_survivors) as actual_survivors,
        -- summed as decimals, exactly, so that the total does not depend on the order the rows
        -- are read in (a sum of doubles does, in its last bits)
        sum(cast(projected_survivors as decimal(38, 12))) as projected_survivors

    from projected
    group by
        period_grain,
        segment_type,
        segment_value,
        holdout_period

)

select * from final
