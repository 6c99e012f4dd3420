-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: upgraded_30d, horizon: 30 days}
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

features as (
{{ sqltrain.window_aggregates(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'), known_at='known_at',
    aggregates=[{'agg': 'count'}, {'agg': 'sum', 'column': 'amount'}], windows=['30 days', '90 days'], prefix='act_') }}
),

labelled as (
{{ sqltrain.label_window(
    spine='features', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'),
    known_at='known_at', horizon='30 days', label='upgraded_30d', where="activity_type = 'upgrade'") }}
)

select * from labelled
