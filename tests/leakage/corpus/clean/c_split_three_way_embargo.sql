-- expect: clean
select customer_id, as_of_ts, churned_30d,
       case
         when as_of_ts + interval '45 days' <= cast('2024-10-01' as timestamp) then 'train'
         when as_of_ts >= cast('2024-10-01' as timestamp) and as_of_ts + interval '45 days' <= cast('2025-01-01' as timestamp) then 'validation'
         when as_of_ts >= cast('2025-01-01' as timestamp) then 'test'
         else 'embargo'
       end as split
from {{ ref('training_base') }}
