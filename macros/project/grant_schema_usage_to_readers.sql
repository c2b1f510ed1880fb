{#-
    For on-run-end: every role granted select on a model of this project gets usage on that model's
    schema, and connect on the database. dbt's grants config covers the tables only, and a select
    grant is of no use without usage on the schema, nor without connect where PUBLIC's default
    connect is revoked (as on scripts/postgres.sh's server; README, Engines). Roles come from the
    models' own grants config, so they are named once. PostgreSQL only; elsewhere nothing (DuckDB
    has no roles; Spark's Hive metastore no SQL grants). The variable marts_reader_role is
    validated here (validate_variables) on every engine, as dbt parses the hook: the grants config in dbt_project.yml
    that uses it cannot call a macro.
-#}
{% macro grant_schema_usage_to_readers() %}
    {%- do validate_variables() -%}
    {{ return(adapter.dispatch('grant_schema_usage_to_readers', 'customer_retention')()) }}
{% endmacro %}

{% macro default__grant_schema_usage_to_readers() -%}
    select 1
{%- endmacro %}

{% macro postgres__grant_schema_usage_to_readers() -%}
    {%- set grants = {} -%}
    {%- set all_roles = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.package_name == project_name -%}
            {%- for role in (node.config.grants or {}).get('select', []) -%}
                {%- set schema_roles = grants.setdefault(node.schema, []) -%}
                {%- if role not in schema_roles -%}
                    {%- do schema_roles.append(role) -%}
                {%- endif -%}
                {%- if role not in all_roles -%}
                    {%- do all_roles.append(role) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not grants -%}
        select 1
    {%- else -%}
    {#- in a do block, so that a run that built no such schema (dbt seed, say) has nothing to grant;
        names are quoted, then escaped for the string literal execute takes -#}
    do $$
    begin
        {%- for schema_name, roles in grants.items() %}
        {%- set grantees = [] -%}
        {%- for role in roles -%}
            {%- do grantees.append(adapter.quote(role)) -%}
        {%- endfor %}
        if exists (select from pg_namespace where nspname = '{{ schema_name | replace("'", "''") }}') then
            execute '{{ ("grant usage on schema " ~ adapter.quote(schema_name) ~ " to " ~ grantees | join(", ")) | replace("'", "''") }}';
        end if;
        {%- endfor %}
        {%- set grantees = [] -%}
        {%- for role in all_roles -%}
            {%- do grantees.append(adapter.quote(role)) -%}
        {%- endfor %}
        -- only a database's owner (or a role granted connect with grant option) can grant connect
        if has_database_privilege(current_database(), 'connect with grant option') then
            execute format('grant connect on database %I to {{ grantees | join(", ") | replace("'", "''") }}', current_database());
        end if;
    end
    $$
    {%- endif -%}
{%- endmacro %}
