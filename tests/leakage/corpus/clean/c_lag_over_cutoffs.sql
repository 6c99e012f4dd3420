-- expect: clean
-- note: held-out batch, written without running the analyser first
select customer_id, as_of_ts, orders_90d,
lag(orders_90d) over (partition by customer_id order by as_of_ts) as orders_90d_prev from {{ ref('order_features') }}
