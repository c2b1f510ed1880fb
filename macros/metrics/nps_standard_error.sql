{#-
    Standard error of NPS, in NPS points. Definition: doc block nps_standard_error. Written over
    the counts so that the radicand is an exact integer that rounding cannot make negative.
-#}
{% macro nps_standard_error(promoters, detractors, responses) -%}
    {%- set radicand -%}
        (({{ promoters }}) + ({{ detractors }})) * ({{ responses }})
        - (({{ promoters }}) - ({{ detractors }})) * (({{ promoters }}) - ({{ detractors }}))
    {%- endset -%}
    {{ percentage(
        'sqrt(cast(' ~ radicand ~ ' as ' ~ type_double() ~ '))',
        '(' ~ responses ~ ') * sqrt(cast(' ~ responses ~ ' as ' ~ type_double() ~ '))'
    ) }}
{%- endmacro %}
