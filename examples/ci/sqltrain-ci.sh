#!/usr/bin/env bash
# sqltrain in any CI: the steps of examples/ci/github-actions.yml as one script (docs/ci.md).
# Run from the dbt project's root with sqltrain and dbt installed. Exit non-zero on the first
# failure, after writing sqltrain.sarif, verify.json and the snapshot that got that far.
set -euo pipefail

MODEL="${MODEL:-churn_training}"
AS_OF="${SQLTRAIN_AS_OF:-$(date -u +%Y-%m-01)}"
export DO_NOT_TRACK=1

dbt deps
dbt build --vars "{as_of: '$AS_OF'}"

status=0
sqltrain check --format sarif --output sqltrain.sarif || status=$?   # findings: upload sqltrain.sarif
if [ "$status" -gt 1 ]; then exit "$status"; fi

sqltrain verify --as-of "$AS_OF" --model "$MODEL" --sample 2000 --json verify.json
sqltrain snapshot --as-of "$AS_OF" --model "$MODEL" --out snapshots
exit "$status"
