{#-
    on-run-start: stops the run before any model runs when an incremental table that exists was
    built from other raw data or settings (build_inputs_description, and the email salt, as a
    hash) than this run's, or when what it was built from is unknown (a table from before this
    check). Its stored rows would mix with the new ones: a switch to another folder left
    nps_by_period wrong for 11 months with exit 0. The message lists the tables and both inputs,
    and asks for --full-refresh, which rebuilds them (and skips this check). Spark rebuilds every
    table in full, so it has nothing to check. record_build_inputs creates the record table.
-#}
{% macro check_build_inputs() %}
    {%- if not execute or target.type == 'spark' -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set record = build_inputs_relation() -%}
    {%- set existing = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
        if node.resource_type == 'model' and node.package_name == project_name
        and node.config.materialized == 'incremental' -%}
        {%- if adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) is not none -%}
            {%- do existing.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not existing -%}
        {{ return('select 1') }}
    {%- elif flags.FULL_REFRESH -%}
        {#- The tables this run rebuilds forget their inputs until they are built: a run killed
            half-way leaves them unknown (the next run stops) rather than recorded as before. -#}
        {%- set rebuilt = [] -%}
        {%- for node in graph.nodes.values()
            if node.unique_id in selected_resources and node.name in existing -%}
            {%- do rebuilt.append(node.name) -%}
        {%- endfor -%}
        {%- if rebuilt and adapter.get_relation(database=record.database, schema=record.schema,
            identifier=record.identifier) is not none -%}
            {{ return(run_and_commit("delete from " ~ record ~ " where model_name in ('"
                ~ rebuilt | join("', '") ~ "')")) }}
        {%- endif -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set inputs = build_inputs_description() -%}
    {%- set recorded = {} -%}
    {%- if adapter.get_relation(database=record.database, schema=record.schema, identifier=record.identifier) is not none -%}
        {%- set rows = run_query(
            "select model_name, inputs, case when salt_hash = " ~ sha256_hex("coalesce(" ~ email_salt() ~ ", '')")
            ~ " then 1 else 0 end as same_salt from " ~ record
        ).rows -%}
        {%- for row in rows -%}
            {%- do recorded.update({row[0]: {'inputs': row[1], 'same_salt': row[2] == 1}}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set stale = [] -%}
    {%- set previous = [] -%}
    {%- for name in existing -%}
        {%- set entry = recorded.get(name) -%}
        {%- if entry is none or entry['inputs'] != inputs or not entry['same_salt'] -%}
            {%- do stale.append(name) -%}
            {%- set before = 'unknown (built before inputs were recorded)' if entry is none
                else (entry['inputs'] if entry['inputs'] != inputs else 'the same, with another email salt') -%}
            {%- if before not in previous -%}
                {%- do previous.append(before) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if stale -%}
        {{ exceptions.raise_compiler_error(
            "The incremental tables " ~ stale | join(', ') ~ " were built from other inputs than this run's.\n"
            ~ "  Built from: " ~ previous | join(' | ') ~ "\n"
            ~ "  This run:   " ~ inputs ~ "\n"
            ~ "Their stored rows would mix with the new ones and give wrong numbers, so nothing was run."
            ~ " If the change is meant, rebuild them from the new inputs with `dbt build --full-refresh`"
            ~ " (make build DBT_ARGS=--full-refresh); if not, run again with the --vars of the last build."
            ~ " See README, Incremental builds."
        ) }}
    {%- endif -%}
    {{ return('select 1') }}
{% endmacro %}
