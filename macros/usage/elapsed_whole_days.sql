{#-
    Whole days elapsed from `start_at` to `end_at` (both wall-clock timestamps in
    reporting_timezone, end_at >= start_at): the day count between their dates, less one when
    end_at's time of day is before start_at's. Rolling event windows count from it (doc block
    event_window_type).
-#}
{% macro elapsed_whole_days(start_at, end_at) -%}
    (
        {{ dbt.datediff('cast(' ~ start_at ~ ' as date)', 'cast(' ~ end_at ~ ' as date)', 'day') }}
        - case
            when {{ end_at }} < {{ dbt.dateadd('day', dbt.datediff('cast(' ~ start_at ~ ' as date)', 'cast(' ~ end_at ~ ' as date)', 'day'), start_at) }}
                then 1
            else 0
        end
    )
{%- endmacro %}
