-- expect: LK006
select customer_id, as_of_ts, random() < 0.8 as in_sample
from {{ ref('training_base') }}
