{#-
    The customer attribute segments, defined once: every row of `relation` (which has the
    columns of segment_attributes) once per segment it belongs to, as (segment_type,
    segment_value) followed by the listed `columns`: (`all`, `all`), and (attribute, its value)
    for each attribute: (`country`, its country), (`acquisition_channel`, its channel). Staging
    has already turned a missing attribute into `unknown`.

    int_customer_segments_unpivoted applies it to customers. The period aggregations apply it to
    counts already summed per period and combination of attribute values, a few thousand rows,
    instead of joining millions of customer-period rows to every segment of their customer:
    a segment's counts are the sums of its customers' counts either way.
-#}
{% macro unpivot_segments(relation, columns) -%}
    {%- set segment_types = [['all', "'all'"]] -%}
    {%- for attribute in segment_attributes() -%}
        {%- do segment_types.append([attribute, attribute]) -%}
    {%- endfor -%}
    {%- for segment_type, segment_value in segment_types %}
    select
        '{{ segment_type }}' as segment_type,
        {{ segment_value }} as segment_value,
        {{ columns | join(',\n        ') }}
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
