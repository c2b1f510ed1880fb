{#-
    Each customer once per segment type: `all` (segment_value `all`), `country` and
    `acquisition_channel` (segment_value `unknown` where the attribute is missing). Joining on it
    and grouping by (segment_type, segment_value) computes every segment from customer counts,
    never by combining rates.
-#}

with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

unpivoted as (

    select
        customer_id,
        'all' as segment_type,
        'all' as segment_value
    from customers

    union all

    select
        customer_id,
        'country' as segment_type,
        country as segment_value
    from customers

    union all

    select
        customer_id,
        'acquisition_channel' as segment_type,
        acquisition_channel as segment_value
    from customers

)

select * from unpivoted
