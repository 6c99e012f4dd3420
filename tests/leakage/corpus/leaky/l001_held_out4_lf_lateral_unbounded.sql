-- expect: LK001
-- why: the lateral subquery reads the customer's orders of all time, after label_ts included
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned, lifetime.orders
from {{ ref('labelled_examples') }} as e,
lateral (
    select count(*) as orders from {{ ref('orders') }} as o where o.customer_id = e.customer_id
) as lifetime
