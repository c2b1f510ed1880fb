{#-
    The largest share of a raw table's rows (0 to 1) that may be quarantined before the build stops:
    above it the export is taken to be broken, not merely untidy. Default 0.05 (5%).
-#}
{% macro get_max_rejected_share() %}
    {%- set text = var('max_rejected_share') | string | trim -%}
    {%- if not modules.re.match('^([0-9]+([.][0-9]*)?|[.][0-9]+)$', text) or (text | float) > 1 -%}
        {{ exceptions.raise_compiler_error(
            "Variable max_rejected_share must be a share from 0 to 1, such as 0.05 for 5%; got '"
            ~ var('max_rejected_share') ~ "'."
        ) }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
