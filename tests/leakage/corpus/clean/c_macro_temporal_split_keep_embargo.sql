-- expect: clean
{{ sqltrain.temporal_split(
    relation=ref('training_base'), cutoff='as_of_ts', valid_start='2024-10-01', test_start='2025-01-01',
    embargo='45 days', horizon='30 days', drop_embargoed=false) }}
