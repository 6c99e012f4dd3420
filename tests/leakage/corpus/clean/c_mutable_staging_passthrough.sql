-- expect: clean
select customer_id, signup_at, country, plan, status, updated_at
from {{ ref('customers') }}
