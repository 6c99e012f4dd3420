"""Run Feast's ``get_historical_features`` on its file offline store, in Feast's own venv.

This file is executed by the Python of the separate Feast virtual environment (see
:mod:`bench.feast_env`), never imported by sqltrain, so it may only use the standard
library, pandas and Feast. Usage::

    feast-venv/bin/python feast_driver.py SPINE.parquet EVENTS.parquet OUT.parquet WORKDIR [CREATED [VIEWS.json]]

It registers one entity and one feature view over EVENTS (timestamp ``event_ts``, a TTL far
longer than the data so Feast applies no cutoff of its own), asks for ``value`` as of each spine
row's ``as_of_ts``, writes ``row_id, value`` to OUT and prints one JSON line with the seconds
spent in ``get_historical_features(...).to_df()`` (registry set-up and file reads of the spine
are outside the timing, the reading of the event file by Feast is inside).

CREATED, when not empty, is the events' column Feast reads as ``created_timestamp_column``.
VIEWS.json, when given, lists feature views ``[{"name": ..., "columns": [...]}, ...]`` over the
same file (Float64 features, asked for all at once) instead of the one view with ``value``; OUT
then has ``row_id`` and every listed column.
"""

import json
import sys
import time
from datetime import timedelta
from pathlib import Path


def main(spine_path: str, events_path: str, out_path: str, workdir: str, created: str = "", views: str = "") -> None:
    import pandas as pd
    from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
    from feast.repo_config import RepoConfig
    from feast.types import Float64, Int64

    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    store = FeatureStore(config=RepoConfig(
        project="sqltrain_bench",
        registry=str(work / "registry.db"),
        provider="local",
        offline_store={"type": "file"},
        online_store={"type": "sqlite", "path": str(work / "online.db")},
        entity_key_serialization_version=3,
    ))
    entity = Entity(name="entity", join_keys=["entity_id"], value_type=ValueType.INT64)
    source = FileSource(path=str(Path(events_path).resolve()), timestamp_field="event_ts",
                        created_timestamp_column=created or "")
    specs = json.loads(Path(views).read_text()) if views else [{"name": "bench_events", "columns": ["value"]}]
    dtype = Float64 if views else Int64
    feature_views = [FeatureView(
        name=spec["name"],
        entities=[entity],
        ttl=timedelta(days=3650),
        schema=[Field(name="entity_id", dtype=Int64), *[Field(name=c, dtype=dtype) for c in spec["columns"]]],
        source=source,
        online=False,
    ) for spec in specs]
    store.apply([entity, *feature_views])
    features = [f"{spec['name']}:{c}" for spec in specs for c in spec["columns"]]
    columns = ["row_id", *[c for spec in specs for c in spec["columns"]]]
    entity_df = pd.read_parquet(spine_path).rename(columns={"as_of_ts": "event_timestamp"})

    # the benchmark reads this when it has to stop Feast: the time spent in the call so far
    (work / "call_started_at").write_text(repr(time.time()))
    started = time.perf_counter()
    result = store.get_historical_features(entity_df=entity_df, features=features).to_df()
    seconds = time.perf_counter() - started

    result[columns].to_parquet(out_path, index=False)
    print(json.dumps({"seconds": seconds, "rows": int(len(result))}))


if __name__ == "__main__":
    main(*sys.argv[1:7])
