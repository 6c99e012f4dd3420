-- expect: LK007
-- note: held-out batch 2, written without running the analyser first
select s.customer_id, s.as_of_ts, c.country from {{ ref('spine') }} as s
join {{ ref('customers_snapshot') }} as c on c.customer_id = s.customer_id where c.dbt_valid_to is null
