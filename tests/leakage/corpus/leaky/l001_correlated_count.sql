-- expect: LK001
select s.customer_id, s.as_of_ts,
       (select count(*) from {{ ref('orders') }} as o where o.customer_id = s.customer_id) as orders
from {{ ref('spine') }} as s
