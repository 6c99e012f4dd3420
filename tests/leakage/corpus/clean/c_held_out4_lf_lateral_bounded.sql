-- expect: clean
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, e.churned, recent.orders_30d, recent.spend_30d
from {{ ref('labelled_examples') }} as e,
lateral (
    select count(*) as orders_30d, coalesce(sum(o.amount), 0) as spend_30d
    from {{ ref('orders') }} as o
    where o.customer_id = e.customer_id
      and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
      and o.event_ts > e.label_ts - interval '30 days'
) as recent
