-- Survival cannot grow with age: the sBG model's S(k) never rises, and neither do the surviving
-- customers pooled over the cohorts that reached age k (those that reached k + 1 are among them,
-- and a member alive at k + 1 was alive at k) nor the product-limit curve. Fails on every age
-- where one rises.
-- DuckDB only, like the mart (its fit is a dbt Python model).
{{ config(enabled=target.type == 'duckdb') }}

with

retention_projection as (

    select * from {{ ref('retention_projection') }}

),

final as (

    select
        later.period_grain,
        later.segment_type,
        later.segment_value,
        later.age,
        earlier.projected_survival_pct as earlier_projected_survival_pct,
        later.projected_survival_pct as later_projected_survival_pct,
        earlier.surviving_customers as earlier_surviving_customers,
        later.surviving_customers as later_surviving_customers,
        earlier.observed_product_limit_survival_pct as earlier_product_limit_pct,
        later.observed_product_limit_survival_pct as later_product_limit_pct

    from retention_projection as later
    inner join retention_projection as earlier
        on
            later.period_grain = earlier.period_grain
            and later.segment_type = earlier.segment_type
            and later.segment_value = earlier.segment_value
            and later.age = earlier.age + 1
    where
        later.projected_survival_pct > earlier.projected_survival_pct
        or later.surviving_customers > earlier.surviving_customers
        -- a relative tolerance: the curve is a running sum of logs
        or later.observed_product_limit_survival_pct
        > earlier.observed_product_limit_survival_pct * (1 + 1e-12)

)

select * from final
