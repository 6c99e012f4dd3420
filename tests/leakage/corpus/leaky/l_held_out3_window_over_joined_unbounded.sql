-- expect: LK001
-- note: held-out batch 3, written without running the analyser first
select s.customer_id, s.as_of_ts,
  sum(o.amount) over (partition by s.customer_id, s.as_of_ts) as spend
from {{ ref('spine') }} as s join {{ ref('orders') }} as o on o.customer_id = s.customer_id
