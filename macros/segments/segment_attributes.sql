{#-
    The customer attributes that segment the period marts, each a column of stg_raw__customers and
    a segment_type: the segments are `all` plus one per value of each (see unpivot_segments).
-#}
{% macro segment_attributes() -%}
    {{ return(['country', 'acquisition_channel']) }}
{%- endmacro %}
