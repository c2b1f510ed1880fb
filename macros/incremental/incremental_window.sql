{#-
    The periods an incremental run rebuilds, as a select of (period_grain, window_start): at each
    grain of int_periods_spined, every period from window_start on. window_start is the earliest of
    - the period incremental_lookback_periods periods before the one containing as_of_date, so
      that late rows dated in the last periods are picked up, and
    - the last period already built in `target_relation` (the one still open at the last run,
      or later: as_of_date can move back), so that a run after a pause misses no period.
    A grain with nothing built yet is rebuilt from its first period. The model that is rebuilt
    keeps its rows before window_start and replaces the rest (replace_periods).
-#}
{% macro incremental_window(target_relation) -%}
    select
        numbered_periods.period_grain,
        min(numbered_periods.period_start) as window_start

    from (
        select
            period_grain,
            period_start,
            row_number() over (partition by period_grain order by period_start desc) as periods_from_last
        from {{ ref('int_periods_spined') }}
    ) as numbered_periods
    left join (
        select
            period_grain,
            max(period_start) as last_built_period_start
        from {{ target_relation }}
        group by period_grain
    ) as built
        on numbered_periods.period_grain = built.period_grain
    where
        numbered_periods.periods_from_last <= {{ validated_var('incremental_lookback_periods') + 1 }}
        or built.last_built_period_start is null
        or numbered_periods.period_start >= built.last_built_period_start
    group by numbered_periods.period_grain
{%- endmacro %}
