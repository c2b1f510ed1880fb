{#-
    A where-clause condition selecting the events of a retention report's start_events or
    return_events (validated by validate_variables): true for 'any', else event_name in the list.
-#}
{% macro event_name_filter(event_names, column='event_name') -%}
    {%- if event_names == 'any' -%}
        1 = 1
    {%- else -%}
        {%- set quoted = [] -%}
        {%- for name in event_names -%}
            {%- do quoted.append("'" ~ name | replace("'", "''") ~ "'") -%}
        {%- endfor -%}
        {{ column }} in ({{ quoted | join(', ') }})
    {%- endif -%}
{%- endmacro %}
