-- expect: clean
select customer_id, as_of_ts, orders_90d, sessions_30d, churned_30d
from {{ ref('training_base') }}
