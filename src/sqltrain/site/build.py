"""``build_site``: the review site — dbt docs plus sqltrain's pages — as static files.

Layout of the site (every link relative, so it works from any static server or from disk)::

    index.html                                 training sets and their snapshots, with gate status
    static_index.html                          the dbt docs, self-contained (dbt_docs.py)
    training/<model>/index.html                one training set: description, charts across as-of dates
    training/<model>/as_of=<D>/index.html      one snapshot: manifest, columns, gates, drift
    training/<model>/as_of=<D>/validation/     the GX Data Docs of that snapshot, copied
    training/<model>/as_of=<D>/*.json          the snapshot's manifest and reports, copied
    training/<model>/backtest=<…>/index.html   one backtest: fold timeline, rows and rates, smell, baselines
    docs/**.html                               the project's docs/*.md rendered, rule docs included
    docs/rules/index.html                      the list of leakage rules

The site is built in a staging directory and swapped into place, so a failed dbt run never
leaves a half-written site where the last good one was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..interrupts import temporary_directory
from ..outputs import full_disk_reported, require_writable
from ..project import Project, sqltrain_meta_of
from ..snapshotting.layout import staged
from . import charts
from .backtest_page import backtest_charts, fold_rows
from .collect import LEAKAGE_FILE, BacktestInfo, VALIDATION_FILE, VERIFY_FILE, SnapshotInfo, TrainingSet, active_findings, collect
from .bundle import copy_data_docs, copy_regular_file
from .dbt_docs import DBT_PAGE, dbt_model_href, generate_dbt_docs
from .profile import null_fractions
from .slices import slice_section
from .markup import render_markdown
from .docs_tree import DocPage, copy_assets, doc_pages

WarnFn = Callable[[str], None]
SITE_MARKER = ".sqltrain-site"  # marks a directory the next build may replace wholesale
HERE = Path(__file__).parent


def build_site(
    project: Project,
    out_dir: Path | None = None,
    snapshots_dir: Path | None = None,
    *,
    with_dbt_docs: bool = True,
    on_warning: WarnFn | None = None,
) -> Path:
    """Build the review site into ``out_dir`` (default ``<target>/site``); return its ``index.html``.

    ``snapshots_dir`` defaults to the project's ``snapshots/``. ``with_dbt_docs=False`` skips dbt
    (the training-set pages still link to ``static_index.html``, which is then missing).
    """
    warn = on_warning or (lambda _message: None)
    out_dir = require_writable(out_dir or project.target_path / "site", "--out", directory=True)
    _require_replaceable(out_dir)
    snapshots_dir = Path(snapshots_dir or project.project_dir / "snapshots").resolve()
    docs_dir = project.project_dir / "docs"

    with full_disk_reported(out_dir, "the site"), temporary_directory("sqltrain-site-") as target, \
            staged(out_dir) as stage:
        # a private target dir: dbt's manifest for this build, never another command's target/
        docs_project = replace(project, target_path=Path(target), _manifest=None)
        if with_dbt_docs:
            generate_dbt_docs(docs_project, stage)
        else:
            from ..dbt_invoke import invoke

            invoke(docs_project, ["parse"], target_path=target)
        sets = collect(docs_project, snapshots_dir)
        for training_set in sets:
            _check_backlink(training_set, warn)
        docs = doc_pages(docs_dir, warn)
        copy_assets(docs, docs_dir, stage / "docs")
        Renderer(stage, sets, docs).render_all()
        (stage / SITE_MARKER).write_text("built by `sqltrain docs`; the whole directory is replaced on the next build\n")
    return out_dir / "index.html"


def _require_replaceable(out_dir: Path) -> None:
    """The build replaces ``out_dir`` as a whole: only a new or empty directory, or an earlier site."""
    if out_dir.is_file():
        raise UsageError(f"--out {out_dir} is a file", "pass a directory for the site")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / SITE_MARKER).is_file():
        raise UsageError(
            f"--out {out_dir} holds files that are not a site `sqltrain docs` built",
            "pass a new or empty directory (the build replaces it as a whole)",
        )


def training_set_dir(model: str) -> str:
    return f"training/{model}"


def backlink(model: str) -> str:
    """The link a training set's dbt description carries to its sqltrain page (relative to the dbt page)."""
    return f"{training_set_dir(model)}/index.html"


def _check_backlink(training_set: TrainingSet, warn: WarnFn) -> None:
    if training_set.node is not None and backlink(training_set.name) not in training_set.description:
        warn(
            f"model '{training_set.name}': its dbt description does not link to its review page — add "
            f"`[Snapshots, gates and drift]({backlink(training_set.name)})` to the description in its YAML"
        )


class Renderer:
    """Writes every page of the site into ``root`` from the collected training sets."""

    def __init__(self, root: Path, sets: list[TrainingSet], docs: list[DocPage]):
        import jinja2

        self.root, self.sets, self.docs = root, sets, docs
        self.rules = [page for page in docs if page.rule_code]
        self.rule_codes = {page.rule_code for page in self.rules}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.ChainableUndefined,  # reports may lack optional fields: show blanks
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(pct=_pct, num=_num, signed_pct=_signed_pct)

    def render_all(self) -> None:
        shutil.copyfile(HERE / "static" / "site.css", self.root / "site.css")
        self.page("index.html", "index.html", sets=self.sets, charts=self._set_charts)
        for training_set in self.sets:
            folder = training_set_dir(training_set.name)
            self.page(f"{folder}/index.html", "training_set.html", ts=training_set,
                      charts=self._set_charts(training_set), dbt_href=self._dbt_href(training_set, "../../"),
                      description=render_markdown(training_set.description, base="../../"))
            for snapshot in training_set.snapshots:
                self._snapshot_page(training_set, snapshot, f"{folder}/{snapshot.slug}")
            for backtest in training_set.backtests:
                self._backtest_page(training_set, backtest, f"{folder}/{backtest.slug}")
        self.page("docs/rules/index.html", "rules.html", rules=self.rules)
        self.page("docs/index.html", "docs.html", docs=self.docs)
        for doc in self.docs:
            self.page(f"docs/{doc.path}", "doc.html", doc=doc)

    def page(self, path: str, template: str, **context: Any) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * path.count("/")
        html = self.env.get_template(template).render(root=root, dbt_page=DBT_PAGE, **context)
        target.write_text(html, encoding="utf-8")

    # -- one snapshot ------------------------------------------------------------------------
    def _snapshot_page(self, ts: TrainingSet, snapshot: SnapshotInfo, folder: str) -> None:
        self._copy_reports(snapshot, self.root / folder)
        columns = snapshot.manifest.get("columns") or []
        nulls = self._null_fractions(snapshot)
        previous = ts.previous_of(snapshot)
        descriptions = {name: col.get("description", "") for name, col in ((ts.node or {}).get("columns") or {}).items()}
        features = [c["name"] for c in columns if c.get("role") == "feature"]
        limit = ts.meta.get("max_null_fraction")
        limits = {name: meta["max_null_fraction"] for name, meta in _column_metas(ts).items() if "max_null_fraction" in meta}
        self.page(
            f"{folder}/index.html", "snapshot.html", ts=ts, s=snapshot, previous=previous,
            columns=[{**c, "null_fraction": nulls.get(c["name"]), "description": descriptions.get(c["name"], "")}
                     for c in columns],
            null_chart=charts.hbar_chart([(f, nulls.get(f, 0.0)) for f in features], name="null-fraction",
                                         title=f"Null fraction per feature, {ts.name} as of {snapshot.as_of}",
                                         limit=limit, limits=limits),
            findings=[{**f, "rule_href": self._rule_href(f.get("code"))} for f in active_findings(snapshot.leakage)],
            suppressed=[f for f in (snapshot.leakage or {}).get("findings") or [] if f.get("suppressed")],
            validation=snapshot.validation,
            failed_expectations=[e for e in (snapshot.validation or {}).get("expectations") or [] if not e.get("success")],
            has_data_docs=(self.root / folder / "validation" / "index.html").is_file(),
            drift=self._drift(snapshot, previous, nulls, features),
            slices=slice_section(ts.name, str(snapshot.as_of), snapshot.manifest, snapshot.validation),
            dbt_href=self._dbt_href(ts, "../../../"),
            charts=self._set_charts(ts, snapshot),
        )

    # -- one backtest ------------------------------------------------------------------------
    def _backtest_page(self, ts: TrainingSet, backtest: BacktestInfo, folder: str) -> None:
        (self.root / folder).mkdir(parents=True, exist_ok=True)
        copy_regular_file(backtest.path / "backtest.json", self.root / folder / "backtest.json")
        self.page(f"{folder}/index.html", "backtest.html", ts=ts, bt=backtest, folds=fold_rows(backtest),
                  charts=backtest_charts(backtest))

    def _copy_reports(self, snapshot: SnapshotInfo, folder: Path) -> None:
        """The reports and the GX Data Docs, as regular files only and the HTML sanitised (bundle.py)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("manifest.json", LEAKAGE_FILE, VALIDATION_FILE, VERIFY_FILE):
            copy_regular_file(snapshot.path / name, folder / name)
        if (snapshot.path / "validation").is_dir():
            copy_data_docs(snapshot.path / "validation", folder / "validation")

    @staticmethod
    def _null_fractions(snapshot: SnapshotInfo) -> dict[str, float]:
        """Null fraction per column, read from the data — unless the data is not what the manifest says."""
        if snapshot.tampered:
            return {}
        files = (snapshot.manifest.get("data") or {}).get("files", [])
        return null_fractions([snapshot.path / f for f in files], [c["name"] for c in snapshot.manifest.get("columns") or []])

    def _drift(self, snapshot: SnapshotInfo, previous: SnapshotInfo | None, nulls: dict[str, float],
               features: list[str]) -> dict[str, Any] | None:
        """Rows, label rate and null fractions against the previous snapshot, with the quality gate's PSI."""
        if previous is None:
            return None
        before_cols = [c["name"] for c in previous.manifest.get("columns") or []]
        before = self._null_fractions(previous)
        gx_drift = (snapshot.validation or {}).get("drift") or {}
        psi = {}
        if gx_drift.get("previous_snapshot") == previous.slug:
            psi = {f["column"]: f.get("psi") for f in gx_drift.get("features") or []}
        rows = []
        for name in features:
            now, then = nulls.get(name), before.get(name)
            rows.append({"column": name, "null_now": now, "null_before": then, "psi": psi.get(name),
                         "null_change": None if now is None or then is None else round(now - then, 6)})
        rate_now, rate_before = snapshot.label_rate, previous.label_rate
        return {
            "previous": previous,
            "rows_before": previous.rows,
            "rows_change": snapshot.rows - previous.rows,
            "label_rate_before": rate_before,
            "label_rate_change": None if rate_now is None or rate_before is None else round(rate_now - rate_before, 6),
            "features": rows,
            "added": [c for c in features if c not in before_cols],
            "removed": [c for c in before_cols if c not in {c["name"] for c in snapshot.manifest.get("columns") or []}],
            "warnings": (snapshot.validation or {}).get("warnings") or [],
            "has_psi": bool(psi),
        }

    # -- links and charts --------------------------------------------------------------------
    def _rule_href(self, code: str | None) -> str | None:
        return f"docs/rules/{code}.html" if code in self.rule_codes else None

    def _dbt_href(self, ts: TrainingSet, prefix: str) -> str | None:
        return dbt_model_href(ts.unique_id, prefix) if ts.unique_id else None

    @staticmethod
    def _set_charts(ts: TrainingSet, current: SnapshotInfo | None = None) -> dict[str, str]:
        labels = [str(s.as_of) for s in ts.snapshots]
        mark = str(current.as_of) if current else None
        return {
            "label_rate": charts.line_chart(list(zip(labels, [s.label_rate for s in ts.snapshots])), name="label-rate",
                                            title=f"Label rate of {ts.name} by as-of date", highlight=mark),
            "rows": charts.bar_chart(list(zip(labels, [s.rows for s in ts.snapshots])), name="rows",
                                     title=f"Rows of {ts.name} by as-of date", highlight=mark),
        }


def _column_metas(ts: TrainingSet) -> dict[str, dict[str, Any]]:
    """``meta.sqltrain`` of each column the dbt node documents."""
    return {name: sqltrain_meta_of(column) for name, column in ((ts.node or {}).get("columns") or {}).items()}


def _pct(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _signed_pct(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value * 100:+.{digits}f} pp"


def _num(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"
