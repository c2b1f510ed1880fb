{#- One project variable's value, checked and read as validate_variables returns it. -#}
{% macro validated_var(name) %}
    {%- set values = validate_variables() -%}
    {%- if name not in values -%}
        {{ exceptions.raise_compiler_error("validated_var: no variable '" ~ name ~ "' to read.") }}
    {%- endif -%}
    {{ return(values[name]) }}
{% endmacro %}
