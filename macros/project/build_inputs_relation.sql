{#-
    The table recording what each incremental table was built from (record_build_inputs): one
    row per model, in the staging schema, beside the base tables it mostly describes.
-#}
{% macro build_inputs_relation() %}
    {%- set staging_schema = graph.nodes['model.' ~ project_name ~ '.stg_raw__quarantined_rows'].schema -%}
    {{ return(api.Relation.create(database=target.database, schema=staging_schema, identifier='build_inputs')) }}
{% endmacro %}
