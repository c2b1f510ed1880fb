{#-
    The variable earliest_plausible_date (default 2000-01-01) as a SQL timestamp literal: a raw
    timestamp before it is a typo or a placeholder (year 1000, 1900-01-01), quarantined as
    implausible_date rather than stretching every period mart back to it.
-#}
{% macro earliest_plausible_at() %}
    {{ return("cast('" ~ validated_var('earliest_plausible_date') ~ "' as timestamp)") }}
{% endmacro %}
