-- expect: LK008
select customer_id, as_of_ts, churned_30d,
       as_of_ts <= cast('2025-03-01' as timestamp) as is_train,
       as_of_ts >= cast('2025-02-01' as timestamp) as is_test
from {{ ref('training_base') }}
