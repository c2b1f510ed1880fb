{#-
    on-run-end: for each incremental model this run built successfully, records what it was built
    from (build_inputs_description and a hash of the email salt), which check_build_inputs
    compares with the next run's. A failed or skipped model keeps its previous record.
-#}
{% macro record_build_inputs(results) %}
    {%- if not execute or target.type == 'spark' -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set built = [] -%}
    {%- for result in results
        if result.node.resource_type == 'model' and result.node.config.materialized == 'incremental'
        and result.status == 'success' -%}
        {%- do built.append(result.node.name) -%}
    {%- endfor -%}
    {%- if not built -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set record = build_inputs_relation() -%}
    {%- set recorded_sql -%}
        create table if not exists {{ record }} (
            model_name {{ dbt.type_string() }},
            inputs {{ dbt.type_string() }},
            salt_hash {{ dbt.type_string() }},
            recorded_at {{ dbt.type_timestamp() }}
        );
        delete from {{ record }} where model_name in ('{{ built | join("', '") }}');
        insert into {{ record }} (model_name, inputs, salt_hash, recorded_at)
        {% for name in built -%}
        select
            '{{ name }}',
            '{{ build_inputs_description() | replace("'", "''") }}',
            {{ sha256_hex("coalesce(" ~ email_salt() ~ ", '')") }},
            {{ dbt.current_timestamp() }}
        {% if not loop.last %}union all{% endif %}
        {% endfor %}
    {%- endset -%}
    {{ return(run_and_commit(recorded_sql)) }}
{% endmacro %}
