-- expect: LK008
select *, case when as_of_ts < cast('2025-01-01' as timestamp) then 'train' else 'test' end as split
from {{ ref('training_base') }}
