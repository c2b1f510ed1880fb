{#-
    Per customer, their transactions up to the end of as_of_date merged into purchase days (every
    day with at least one transaction, refunds netted into the day's value): the first and last
    purchase day, the number of purchase days, the total and the first day's value, and the
    transactions counted, with the sum of their row_hash. Nothing here depends on as_of_date but
    which transactions count, so int_customer_purchase_days_summarized derives T and the rest.
    Incremental (README, Incremental builds): a run rebuilds only the customers whose counted
    transactions differ from the ones summarized (another count or hash sum: a transaction added,
    changed, deleted or quarantined, or one that as_of_date now takes in or leaves out), and
    replaces theirs (replace_customers); a customer left with none keeps no row.
-#}

with

transactions as (

    select * from {{ ref('stg_raw__transactions') }}

),

-- not stored: an incremental run reads it twice, for the fingerprints and for the rows rebuilt
counted as {{ not_materialized() }} (

    select
        customer_id,
        occurred_at,
        amount,
        row_hash

    from transactions
    where occurred_at < {{ as_of_end_at() }}

),

{% if is_incremental() %}
customers_to_rebuild as (

    select coalesce(latest.customer_id, summarized.customer_id) as customer_key

    from (
        select
            customer_id,
            count(*) as transaction_count,
            sum(cast(row_hash as decimal(38, 0))) as transactions_hash
        from counted
        group by customer_id
    ) as latest
    full outer join {{ this }} as summarized
        on latest.customer_id = summarized.customer_id
    where
        coalesce(latest.transaction_count, 0) != coalesce(summarized.transaction_count, 0)
        or coalesce(latest.transactions_hash, 0) != coalesce(summarized.transactions_hash, 0)

),

{% endif %}
purchase_days as (

    select
        customer_id,
        cast(occurred_at as date) as purchase_date,
        sum(amount) as day_amount,
        count(*) as transaction_count,
        sum(cast(row_hash as decimal(38, 0))) as transactions_hash

    from counted
    {% if is_incremental() %}
    where customer_id in (select customer_key from customers_to_rebuild)
    {% endif %}
    group by customer_id, cast(occurred_at as date)

),

customer_days as (

    select
        customer_id,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        count(*) as purchase_days,
        sum(day_amount) as total_amount,
        sum(transaction_count) as transaction_count,
        sum(transactions_hash) as transactions_hash

    from purchase_days
    group by customer_id

),

first_days as (

    select
        customer_days.*,
        purchase_days.day_amount as first_day_amount

    from customer_days
    inner join purchase_days
        on
            customer_days.customer_id = purchase_days.customer_id
            and customer_days.first_purchase_date = purchase_days.purchase_date

),

final as (

    select
        customer_id,
        first_purchase_date,
        last_purchase_date,
        cast(purchase_days as {{ dbt.type_bigint() }}) as purchase_days,
        cast(transaction_count as {{ dbt.type_bigint() }}) as transaction_count,
        total_amount,
        first_day_amount,
        transactions_hash

    from first_days
    {% if is_incremental() %}
    union all
    {{ replaced_customer_markers(
        ['customer_id', 'first_purchase_date', 'last_purchase_date', 'purchase_days', 'transaction_count',
         'total_amount', 'first_day_amount', 'transactions_hash'],
        'customers_to_rebuild',
    ) }}
    {% endif %}

)

select * from final
