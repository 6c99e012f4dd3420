-- expect: clean
with visible as (
    select s.customer_id, s.as_of_ts, o.amount
    from {{ ref('spine') }} as s
    join {{ ref('orders') }} as o
      on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
)
select customer_id, as_of_ts, sum(amount) as spend
from visible
group by customer_id, as_of_ts
