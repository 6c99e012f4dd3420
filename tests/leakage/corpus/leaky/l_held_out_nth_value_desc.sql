-- expect: LK003
-- note: held-out batch 2, written without running the analyser first
select order_id, customer_id, event_ts, known_at,
nth_value(amount, 2) over (partition by customer_id order by event_ts desc) as second_last from {{ ref('orders') }}
