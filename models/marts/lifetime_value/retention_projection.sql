{#-
    Observed and projected survival per grain, segment and age k = 0 ... sbg_horizon_periods: the
    observed survival pooled over the cohorts that reached age k, the observed renewal rate and
    its product-limit survival curve, and the sBG model's survival S(k) and renewal rate r(k)
    (doc block sbg_model), S(k) being the product of r(1) ... r(k).
-#}
{%- set horizon = validated_var('sbg_horizon_periods') %}

with

-- the fits on all the data (the calibration fits are the backtest's)
fitted as (

    select * from {{ ref('int_cltv_retention_projections_fitted') }}
    where fit_window = 'full'

),

lifetimes as (

    select * from {{ ref('int_cltv_subscriber_lifetimes_counted') }}

),

series as (

    {{ dbt.generate_series(horizon + 1) }}

),

ages as (

    select cast(generated_number - 1 as {{ dbt.type_int() }}) as age
    from series

),

observed as (

    select
        lifetimes.period_grain,
        lifetimes.segment_type,
        lifetimes.segment_value,
        ages.age,
        sum(lifetimes.customers) as observed_customers,
        sum(
            case when lifetimes.renewals_survived >= ages.age then lifetimes.customers else 0 end
        ) as surviving_customers,
        -- the members of the same cohorts alive at age k - 1: those facing renewal k
        sum(
            case when lifetimes.renewals_survived >= ages.age - 1 then lifetimes.customers else 0 end
        ) as renewing_customers

    from lifetimes
    inner join ages
        on lifetimes.last_observed_age >= ages.age
    group by
        lifetimes.period_grain,
        lifetimes.segment_type,
        lifetimes.segment_value,
        ages.age

),

renewal_rates as (

    select
        fitted.period_grain,
        fitted.segment_type,
        fitted.segment_value,
        ages.age,
        case
            when fitted.converged and ages.age > 0
                then {{ sbg_renewal_rate('fitted.alpha', 'fitted.beta', 'ages.age') }}
        end as renewal_rate

    from fitted
    cross join ages

),

-- the observed renewal rate at each age, and its log for the running product below
observed_rates as (

    select
        *,
        case
            when age > 0 then {{ safe_divide('surviving_customers', 'renewing_customers') }}
        end as observed_renewal_rate,
        case
            when age > 0 and surviving_customers > 0
                then ln({{ safe_divide('surviving_customers', 'renewing_customers') }})
            else 0
        end as log_renewal_rate

    from observed

),

-- the product of the renewal rates up to each age (1 at age 0; 0 once nobody survives): a
-- product-limit estimate of survival that every cohort informs up to its age
observed_curve as (

    select
        *,
        min(surviving_customers) over (
            partition by period_grain, segment_type, segment_value
            order by age
            rows between unbounded preceding and current row
        ) as fewest_survivors,
        sum(log_renewal_rate) over (
            partition by period_grain, segment_type, segment_value
            order by age
            rows between unbounded preceding and current row
        ) as log_survival

    from observed_rates

),

projected as (

    select
        *,
        -- S(k) = r(1) x ... x r(k), as a sum of logs (S(0) = 1)
        exp(sum(coalesce(ln(renewal_rate), 0)) over (
            partition by period_grain, segment_type, segment_value
            order by age
            rows between unbounded preceding and current row
        )) as survival

    from renewal_rates

),

final as (

    select
        cast(projected.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(projected.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(projected.segment_value as {{ dbt.type_string() }}) as segment_value,
        projected.age,
        cast(coalesce(observed.observed_customers, 0) as {{ dbt.type_bigint() }}) as observed_customers,
        cast(coalesce(observed.surviving_customers, 0) as {{ dbt.type_bigint() }}) as surviving_customers,
        {{ percentage('observed.surviving_customers', 'observed.observed_customers') }}
            as observed_survival_pct,
        100 * observed.observed_renewal_rate as observed_renewal_rate_pct,
        case
            when observed.fewest_survivors = 0 then 0
            else 100 * exp(observed.log_survival)
        end as observed_product_limit_survival_pct,
        case when fitted.converged then 100 * projected.survival end as projected_survival_pct,
        100 * projected.renewal_rate as projected_renewal_rate_pct,
        observed.observed_customers is not null as is_observed

    from projected
    inner join fitted
        on
            projected.period_grain = fitted.period_grain
            and projected.segment_type = fitted.segment_type
            and projected.segment_value = fitted.segment_value
    left join observed_curve as observed
        on
            projected.period_grain = observed.period_grain
            and projected.segment_type = observed.segment_type
            and projected.segment_value = observed.segment_value
            and projected.age = observed.age

)

select * from final
