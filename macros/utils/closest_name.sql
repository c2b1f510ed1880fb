{#-
    The candidate nearest to `name` by edit distance (insertions, deletions and substitutions,
    Levenshtein), the first listed on a tie: the "did you mean" of a stop message.
-#}
{% macro closest_name(name, candidates) %}
    {%- set best = namespace(name=none, distance=none) -%}
    {%- for candidate in candidates -%}
        {%- set row = namespace(previous=range(candidate | length + 1) | list) -%}
        {%- for i in range(1, name | length + 1) -%}
            {%- set current = [i] -%}
            {%- for j in range(1, candidate | length + 1) -%}
                {%- set cost = 0 if name[i - 1] == candidate[j - 1] else 1 -%}
                {%- do current.append([row.previous[j] + 1, current[j - 1] + 1, row.previous[j - 1] + cost] | min) -%}
            {%- endfor -%}
            {%- set row.previous = current -%}
        {%- endfor -%}
        {%- set distance = row.previous[-1] -%}
        {%- if best.distance is none or distance < best.distance -%}
            {%- set best.name = candidate -%}
            {%- set best.distance = distance -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(best.name) }}
{% endmacro %}
