{#-
    One end of the 95% adjusted-Wald interval for NPS (METRICS.md): the interval of the standard
    formulas computed on adjusted counts, n + 3 responses with promoters and detractors each
    + 0.75, so that it never collapses to zero width (all promoters, or a single answer). Its
    centre is the adjusted NPS (P + 0.75 - D - 0.75) / (n + 3) x 100, not the raw NPS. Clipped to
    -100..100. Null without responses. side is 'low' or 'high'.
    The adjusted counts are exact decimals on every engine until nps_standard_error's cast.
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
