{#-
    One end (side 'low' or 'high') of the 95% adjusted-Wald interval for NPS. Definition: doc
    block nps_ci_95. The adjusted counts stay exact decimals until nps_standard_error's cast.
-#}
{% macro nps_adjusted_wald_bound(promoters, detractors, responses, side, z=1.96) -%}
    {%- if side not in ['low', 'high'] -%}
        {{ exceptions.raise_compiler_error("nps_adjusted_wald_bound: side must be 'low' or 'high'; got '" ~ side ~ "'.") }}
    {%- endif -%}
    {%- set adjusted_promoters = '(' ~ promoters ~ ') + 0.75' -%}
    {%- set adjusted_detractors = '(' ~ detractors ~ ') + 0.75' -%}
    {%- set adjusted_responses = '(' ~ responses ~ ') + 3' -%}
    {%- set centre = nps(adjusted_promoters, adjusted_detractors, adjusted_responses) -%}
    {%- set margin = nps_margin_of_error(
        nps_standard_error(adjusted_promoters, adjusted_detractors, adjusted_responses), z
    ) -%}
    case
        when ({{ responses }}) > 0
            then least(100, greatest(-100, {{ centre }} {{ '-' if side == 'low' else '+' }} {{ margin }}))
    end
{%- endmacro %}
