-- expect: LK002
-- note: held-out batch 3, written without running the analyser first
select s.customer_id, s.as_of_ts, count(*) as n from {{ ref('spine') }} as s
join {{ ref('orders') }} as o on o.customer_id = s.customer_id and o.event_ts > s.as_of_ts
group by 1, 2 having count(*) > 2
