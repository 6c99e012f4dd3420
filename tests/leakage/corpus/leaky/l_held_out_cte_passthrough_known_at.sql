-- expect: LK010
-- note: held-out batch 2, written without running the analyser first
with o as (select * from {{ ref('orders') }})
select s.customer_id, s.as_of_ts, sum(o.amount) as spend from {{ ref('spine') }} as s
join o on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts group by 1, 2
