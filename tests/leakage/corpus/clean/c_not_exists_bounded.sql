-- expect: clean
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts from {{ ref('spine') }} as s
where not exists (select 1 from {{ ref('orders') }} as o where o.customer_id = s.customer_id
and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts)
