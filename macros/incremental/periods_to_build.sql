{#-
    The body of a CTE holding the periods a per-customer-per-period model builds in this run, from
    `periods` (int_periods_spined's columns): all of them, or on an incremental run only those
    of the window (incremental_window on the model's own table).
-#}
{% macro periods_to_build(periods) -%}
    {#- validated on every run, so a bad value stops a full build too -#}
    {%- do validate_variables() -%}
    select {{ periods }}.*
    from {{ periods }}
    {% if is_incremental() %}
    inner join ({{ incremental_window(this) }}) as windows
        on
            {{ periods }}.period_grain = windows.period_grain
            and {{ periods }}.period_start >= windows.window_start
    {% endif %}
{%- endmacro %}
