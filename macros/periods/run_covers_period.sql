{#-
    The join condition that expands a run of periods into its periods: the period `period` (a
    relation or CTE of int_periods_spined) lies in the run `run` (a relation or CTE with
    period_grain, period_start and last_period_start: the run's first and last period, both
    included). The per-customer activity is stored as runs of periods in which nothing changes
    (int_customer_mrr_period_runs_snapshotted), and its readers count the runs first and expand
    the counts, a few thousand rows, rather than millions of customer-periods.
-#}
{% macro run_covers_period(run, period) -%}
    {{ run }}.period_grain = {{ period }}.period_grain
    and {{ period }}.period_start >= {{ run }}.period_start
    and {{ period }}.period_start <= {{ run }}.last_period_start
{%- endmacro %}
