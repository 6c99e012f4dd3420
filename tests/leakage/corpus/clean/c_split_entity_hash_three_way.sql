-- expect: clean
select customer_id, as_of_ts, churned_30d,
       case
         when abs(hash(customer_id)) % 10 < 7 then 'train'
         when abs(hash(customer_id)) % 10 < 9 then 'validation'
         else 'test'
       end as split
from {{ ref('training_base') }}
