{#-
    Standard error of NPS, in NPS points: sqrt((p + d - (p - d)^2) / n) * 100, with p, d the
    promoter and detractor shares and n the responses. Written over the counts P, D as
    sqrt((P + D) * n - (P - D)^2) / (n * sqrt(n)) * 100, so the radicand is an exact integer that
    cannot go negative through rounding. Null with no responses.
-#}
{% macro nps_standard_error(promoters, detractors, responses) -%}
    {%- set radicand -%}
        (({{ promoters }}) + ({{ detractors }})) * ({{ responses }})
        - (({{ promoters }}) - ({{ detractors }})) * (({{ promoters }}) - ({{ detractors }}))
    {%- endset -%}
    ({{ safe_divide(
        'sqrt(cast(' ~ radicand ~ ' as ' ~ type_double() ~ '))',
        '(' ~ responses ~ ') * sqrt(cast(' ~ responses ~ ' as ' ~ type_double() ~ '))'
    ) }} * 100)
{%- endmacro %}
