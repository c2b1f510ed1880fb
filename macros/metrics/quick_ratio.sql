{#- Growth over loss of active users, a ratio. Definition: doc block quick_ratio. -#}
{% macro quick_ratio(new_users, resurrected_users, dormant_users) -%}
    {{ safe_divide('(' ~ new_users ~ ') + (' ~ resurrected_users ~ ')', dormant_users) }}
{%- endmacro %}
