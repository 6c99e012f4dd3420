-- expect: LK001
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts, x.n
from {{ ref('spine') }} as s
join lateral (select count(*) as n from {{ ref('orders') }} as o where o.customer_id = s.customer_id) as x on true
