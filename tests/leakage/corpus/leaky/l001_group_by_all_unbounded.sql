-- expect: LK001
-- GROUP BY ALL groups by the spine's columns; nothing bounds the orders by the cutoff
select s.customer_id, s.as_of_ts, count(o.order_id) as orders
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id
group by all
