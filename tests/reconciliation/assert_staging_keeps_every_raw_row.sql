-- Raw rows = staged rows for each of the four raw tables: staging renames, casts and parses,
-- and never drops a row silently. Returns the tables whose counts differ.

{%- set tables = ['customers', 'subscriptions', 'transactions', 'survey_responses'] %}

with

row_counts as (

    {% for table in tables %}
    select
        '{{ table }}' as raw_table_name,
        (select count(*) from {{ raw_table(table) }}) as raw_rows,
        (select count(*) from {{ ref('stg_raw__' ~ table) }}) as staged_rows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

validation_errors as (

    select * from row_counts
    where raw_rows != staged_rows

)

select * from validation_errors
