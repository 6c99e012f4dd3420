-- expect: clean
select order_id, customer_id, event_ts, known_at, amount
from {{ ref('orders') }}
where event_ts <= cast('{{ var("as_of") }}' as timestamp)
  and known_at <= cast('{{ var("as_of") }}' as timestamp)
