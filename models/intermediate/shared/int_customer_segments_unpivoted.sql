{#-
    Each customer once per segment type: `all` (segment_value `all`), and one per customer
    attribute of segment_attributes, `country` and `acquisition_channel` (segment_value `unknown`
    where the attribute is missing). The segments are defined once, in unpivot_segments.
-#}

with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

unpivoted as (

    {{ unpivot_segments('customers', ['customer_id']) }}

),

final as (

    select
        customer_id,
        segment_type,
        segment_value

    from unpivoted

)

select * from final
