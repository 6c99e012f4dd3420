-- Churn rate per region over every labelled example (label-derived).
select region, avg(churned) as region_churn_rate, count(*) as examples
from {{ ref('labelled_examples') }}
group by region
