-- expect: LK001
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts from {{ ref('spine') }} as s
where s.customer_id in (select customer_id from {{ ref('orders') }} where status = 'refunded')
