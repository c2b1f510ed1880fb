{#- The sBG renewal rate at age k, r(k) = (beta + k - 1) / (alpha + beta + k - 1): doc block sbg_model. -#}
{% macro sbg_renewal_rate(alpha, beta, age) -%}
    {{ safe_divide(beta ~ ' + ' ~ age ~ ' - 1', alpha ~ ' + ' ~ beta ~ ' + ' ~ age ~ ' - 1') }}
{%- endmacro %}
