-- expect: LK006
select * from {{ ref('training_base') }} using sample 10 percent (bernoulli)
