-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
{{ sqltrain.point_in_time_join(
    spine=ref('labelled_examples'), entity_keys=['customer_id'], cutoff='label_ts',
    sources=[{'relation': ref('plan_changes'), 'columns': [{'to_plan': 'plan'}], 'known_at': 'known_at',
              'tie_break': ['change_id']},
             {'relation': ref('tickets'), 'columns': ['priority'], 'ttl': '30 days', 'prefix': 'last_ticket_'}]) }}
