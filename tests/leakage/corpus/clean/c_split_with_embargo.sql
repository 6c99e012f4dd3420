-- expect: clean
select *, case
    when as_of_ts < cast('2025-01-01' as timestamp) then 'train'
    when as_of_ts >= cast('2025-01-01' as timestamp) + interval '30 days' then 'test'
  end as split
from {{ ref('training_base') }}
