-- expect: LK001
-- note: held-out batch 3, written without running the analyser first
select x.customer_id, s.as_of_ts, x.spend from {{ ref('spine') }} as s
join (select customer_id, sum(amount) as spend from {{ ref('orders') }} group by customer_id) as x on x.customer_id = s.customer_id
