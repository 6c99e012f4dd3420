-- expect: LK008
select customer_id, as_of_ts, churned_30d,
       case when abs(hash(customer_id, as_of_ts)) % 10 < 8 then 'train' else 'test' end as split
from {{ ref('training_base') }}
