-- expect: clean
-- note: held-out batch 2, written without running the analyser first
select s.customer_id, s.as_of_ts, p.category from {{ ref('spine') }} as s
left join {{ ref('products') }} as p on p.product_id = s.customer_id
