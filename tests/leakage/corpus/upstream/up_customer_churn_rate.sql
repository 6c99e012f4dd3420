-- Each customer's churn rate over all their examples (label-derived).
select customer_id, avg(churned_30d) as churn_rate
from {{ ref('churn_labels') }}
group by customer_id
