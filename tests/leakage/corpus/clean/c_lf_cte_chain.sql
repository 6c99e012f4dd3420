-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
with examples as (
    select customer_id, label_ts, churned, region from {{ ref('labelled_examples') }}
),

order_history as (
    select x.customer_id, x.label_ts, count(o.order_id) as orders_90d, max(o.event_ts) as last_order_ts
    from examples as x
    join {{ ref('orders') }} as o
      on o.customer_id = x.customer_id
     and o.event_ts <= x.label_ts and o.known_at <= x.label_ts
     and o.event_ts > x.label_ts - interval '90 days'
    group by x.customer_id, x.label_ts
),

ticket_history as (
    select x.customer_id, x.label_ts, count(t.ticket_id) as tickets_30d
    from examples as x
    join {{ ref('tickets') }} as t
      on t.customer_id = x.customer_id
     and t.event_ts <= x.label_ts and t.event_ts > x.label_ts - interval '30 days'
    group by all
)

select x.customer_id, x.label_ts, x.region,
       coalesce(oh.orders_90d, 0) as orders_90d, oh.last_order_ts,
       coalesce(th.tickets_30d, 0) as tickets_30d,
       x.churned
from examples as x
left join order_history as oh on oh.customer_id = x.customer_id and oh.label_ts = x.label_ts
left join ticket_history as th on th.customer_id = x.customer_id and th.label_ts = x.label_ts
