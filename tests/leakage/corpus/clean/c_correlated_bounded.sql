-- expect: clean
select s.customer_id, s.as_of_ts,
       (select count(*) from {{ ref('orders') }} as o
         where o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts) as orders
from {{ ref('spine') }} as s
