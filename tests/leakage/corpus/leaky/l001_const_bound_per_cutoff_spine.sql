-- expect: LK001
with known as (
    select * from {{ ref('orders') }}
    where event_ts <= cast('{{ var("as_of") }}' as timestamp)
      and known_at <= cast('{{ var("as_of") }}' as timestamp)
)
select s.customer_id, s.as_of_ts, count(k.order_id) as orders
from {{ ref('spine') }} as s
left join known as k on k.customer_id = s.customer_id
group by 1, 2
