-- expect: LK008
select customer_id, as_of_ts, churned_30d,
       case
         when as_of_ts + interval '30 days' <= cast('2024-10-01' as timestamp) then 'train'
         when as_of_ts >= cast('2024-10-01' as timestamp) and as_of_ts < cast('2025-01-01' as timestamp) then 'validation'
         when as_of_ts >= cast('2025-01-01' as timestamp) then 'test'
       end as split
from {{ ref('training_base') }}
