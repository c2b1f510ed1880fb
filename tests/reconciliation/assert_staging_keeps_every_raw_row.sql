-- Raw rows = staged rows + quarantined rows, for each of the four raw tables: a row is either
-- kept by staging or quarantined with a reason, never dropped silently. Counts the raw table
-- itself, independently of the staging models, plus the malformed lines of a raw CSV file, which
-- the reader skips (base_raw__malformed_lines). Returns the tables whose counts differ.

{%- set columns = raw_table_columns() -%}
{%- set tables = columns.keys() | list %}

with

quarantined as (

    select * from {{ ref('stg_raw__quarantined_rows') }}

),

malformed_lines as (

    select * from {{ ref('base_raw__malformed_lines') }}

),

quarantined_counts as (

    select
        source_table,
        count(*) as quarantined_rows
    from quarantined
    group by source_table

),

row_counts as (

    {% for table in tables %}
    select
        '{{ table }}' as raw_table_name,
        -- every column is read (a bare count(*) lets DuckDB skip checking a line's encoding, so
        -- it would count a line the reader rejects when the values are read)
        (
            select count(*)
            from {{ raw_table(table) }}
            where {{ row_hash(columns[table]) }} is not null
        )
        + (
            select count(*) from malformed_lines
            where malformed_lines.source_table = '{{ table }}'
        ) as raw_rows,
        (select count(*) from {{ ref('stg_raw__' ~ table) }}) as staged_rows,
        coalesce((
            select quarantined_counts.quarantined_rows
            from quarantined_counts
            where quarantined_counts.source_table = '{{ table }}'
        ), 0) as quarantined_rows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

validation_errors as (

    select * from row_counts
    where raw_rows != staged_rows + quarantined_rows

)

select * from validation_errors
