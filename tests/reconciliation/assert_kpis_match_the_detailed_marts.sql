-- kpis_by_period restates the 'all' rows of the four detailed period marts: the same periods, the
-- same counts and amounts, and each rate within the 0.005 of rounding (plus float noise) to 2 decimals.
-- Returns a row for each period and figure that disagrees.

with

kpis as (

    select * from {{ ref('kpis_by_period') }}

),

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

-- each figure of kpis_by_period beside its source; equal when both are null
compared as (

    {%- set figures = [
        ('customers_at_start', 'retention', 0), ('customers_at_end', 'retention', 0),
        ('new_customers', 'retention', 0), ('reactivated_customers', 'retention', 0),
        ('churned_customers', 'retention', 0), ('retention_rate_pct', 'retention', 0.00501),
        ('churn_rate_pct', 'retention', 0.00501), ('mrr_at_start', 'revenue', 0),
        ('mrr_at_end', 'revenue', 0), ('gross_revenue_retention_pct', 'revenue', 0.00501),
        ('net_revenue_retention_pct', 'revenue', 0.00501), ('responses', 'nps', 0),
        ('nps', 'nps', 0.00501), ('nps_ci_low_95', 'nps', 0.00501), ('nps_ci_high_95', 'nps', 0.00501),
        ('paying_customers', 'cltv', 0), ('arpa', 'cltv', 0.00501), ('cltv', 'cltv', 0.00501),
    ] %}
    {% for column, mart, tolerance in figures %}
    select
        retention.period_grain,
        retention.period_start,
        '{{ column }}' as figure
    from retention
    left join kpis
        on
            retention.period_grain = kpis.period_grain
            and retention.period_start = kpis.period_start
    {% if mart != 'retention' %}
    left join {{ mart }}
        on
            retention.period_grain = {{ mart }}.period_grain
            and retention.period_start = {{ mart }}.period_start
    {% endif %}
    where
        kpis.period_start is null
        or (kpis.{{ column }} is null) != ({{ mart }}.{{ column }} is null)
        or abs(kpis.{{ column }} - {{ mart }}.{{ column }}) > {{ tolerance }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

extra_periods as (

    select
        kpis.period_grain,
        kpis.period_start,
        'period missing from retention_by_period' as figure
    from kpis
    left join retention
        on
            kpis.period_grain = retention.period_grain
            and kpis.period_start = retention.period_start
    where retention.period_start is null

),

final as (

    select * from compared
    union all
    select * from extra_periods

)

select * from final
