"""The dbt project sqltrain works on: where it is, how to reach its warehouse, what its models declare."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError

WAREHOUSE_ENV = "SQLTRAIN_WAREHOUSE"
DEFAULT_WAREHOUSE = Path("warehouse") / "demo.duckdb"


@dataclass
class Project:
    """A dbt project directory plus the options that say how to run it."""

    project_dir: Path
    profiles_dir: Path
    target: str | None = None
    target_path: Path | None = None
    reports_path: Path | None = None   # where sqltrain's own reports go (default: target_path)
    build_args: tuple[str, ...] = ()   # added to every dbt build/run (the private as-of target's)
    wait_lock: float = 0.0        # seconds to wait while another process holds the warehouse (--wait-lock)
    _manifest: dict[str, Any] | None = field(default=None, repr=False)
    parsed: Any = field(default=None, repr=False, compare=False)  # dbt_invoke.ParsedManifest

    @classmethod
    def open(
        cls,
        project_dir: str | os.PathLike | None = None,
        profiles_dir: str | os.PathLike | None = None,
        target: str | None = None,
    ) -> "Project":
        root = Path(project_dir or os.getcwd()).resolve()
        if not (root / "dbt_project.yml").is_file():
            raise UsageError(
                f"{root}: no dbt_project.yml here",
                "run sqltrain inside a dbt project or pass --project-dir",
            )
        profiles = Path(profiles_dir).resolve() if profiles_dir else _default_profiles_dir(root)
        project = cls(project_dir=root, profiles_dir=profiles, target=target)
        # dbt's own DBT_TARGET_PATH moves target/ (tests and parallel runs use it)
        configured = os.environ.get("DBT_TARGET_PATH")
        project.target_path = Path(configured).resolve() if configured else root / "target"
        project.require_known_target()
        return project

    def require_known_target(self) -> None:
        """``--target`` must name an output of the project's profile (dbt would fail later, and as
        a build error). Silent when profiles.yml or the profile cannot be read: dbt says why."""
        if not self.target or not (self.profiles_dir / "profiles.yml").is_file():
            return
        try:
            name = self.config.get("profile")
            outputs = (self.profiles().get(name) or {}).get("outputs")
        except (UsageError, OSError, yaml.YAMLError, AttributeError):
            return
        if isinstance(outputs, dict) and self.target not in outputs:
            raise UsageError(
                f"--target {self.target}: profile '{name}' in {self.profiles_dir / 'profiles.yml'} has no such target",
                f"pass one of: {', '.join(map(str, outputs)) or '(none)'}",
            )

    # -- dbt_project.yml -------------------------------------------------
    @property
    def config(self) -> dict[str, Any]:
        with open(self.project_dir / "dbt_project.yml") as fh:
            return yaml.safe_load(fh) or {}

    @property
    def name(self) -> str:
        return self.config["name"]

    # -- the warehouse -----------------------------------------------------
    def target_output(self) -> tuple[str, dict[str, Any]]:
        """The resolved dbt target: its name and its ``outputs`` entry of profiles.yml (values as
        written). The profile is the one ``dbt_project.yml`` names, the target ``--target``, else
        ``$DBT_TARGET``, else the profile's ``target:`` — as dbt picks them."""
        path = self.profiles_dir / "profiles.yml"
        profile_name = self.config.get("profile") or self.name
        profile = self.profiles().get(profile_name)
        if not isinstance(profile, dict) or not isinstance(profile.get("outputs"), dict):
            raise UsageError(f"{path}: no profile '{profile_name}' (dbt_project.yml names it)",
                             "add it to profiles.yml or pass --profiles-dir")
        target = self.target or os.environ.get("DBT_TARGET") or _render(path, profile.get("target") or "default")
        output = profile["outputs"].get(target)
        if not isinstance(output, dict):
            raise UsageError(f"{path}: profile '{profile_name}' has no target '{target}'",
                             f"pass --target with one of: {', '.join(profile['outputs'])}")
        return target, output

    @property
    def reports_dir(self) -> Path:
        """``target/sqltrain/``: sqltrain's reports beside dbt's artifacts (the user's target, also
        for a project seen through a private as-of target)."""
        return Path(self.reports_path or self.target_path) / "sqltrain"

    def target_value(self, key: str) -> str | None:
        """A value of the resolved target, rendered as dbt renders it (None when unset)."""
        value = self.target_output()[1].get(key)
        return None if value is None else _render(self.profiles_dir / "profiles.yml", value)

    def adapter(self) -> str:
        """The resolved target's adapter type (``duckdb``, ``spark``, ...)."""
        return (self.target_value("type") or "").lower()

    def warehouse_path(self) -> Path:
        """The DuckDB file of the resolved target: its ``path`` rendered as dbt renders it
        (``env_var`` included), relative paths from the working directory as dbt-duckdb opens them.
        The demo profile's ``$SQLTRAIN_WAREHOUSE`` default is pinned to the repository first."""
        self.pin_warehouse_env()
        profiles = self.profiles_dir / "profiles.yml"
        target, output = self.target_output()
        if self.adapter() != "duckdb":
            raise UsageError(f"{profiles}: target '{target}' is {self.adapter()!r}, not a DuckDB file",
                             "pass --target with a duckdb target")
        raw = output.get("path")
        path = _render(profiles, raw) if raw is not None else ":memory:"
        if not path or path.startswith(":memory:") or path.startswith("md:"):
            raise UsageError(f"{profiles}: target '{target}' has no DuckDB file (path: {path or 'empty'})",
                             "set path: to the warehouse's .duckdb file in profiles.yml")
        return Path(path).expanduser().resolve()

    def duckdb_file(self) -> Path | None:
        """The database file of the resolved target when it is a DuckDB file (``warehouse_path``);
        None when the target is another adapter, in memory or remote."""
        try:
            return self.warehouse_path() if self.adapter() == "duckdb" else None
        except UsageError:
            return None

    def demo_warehouse_path(self) -> Path:
        """The DuckDB file the demo profile reads (``$SQLTRAIN_WAREHOUSE`` or the default in the repo)."""
        configured = os.environ.get(WAREHOUSE_ENV)
        path = Path(configured) if configured else self.project_dir / DEFAULT_WAREHOUSE
        return path if path.is_absolute() else (Path.cwd() / path).resolve()

    def uses_demo_profile(self) -> bool:
        """Whether the resolved target reads ``$SQLTRAIN_WAREHOUSE`` (only the demo profile does)."""
        try:
            return WAREHOUSE_ENV in str(self.target_output()[1].get("path") or "")
        except UsageError:
            return False

    def pin_warehouse_env(self) -> None:
        """Make the demo profile's relative default absolute so dbt finds it from any working
        directory. Other profiles are left as dbt reads them."""
        if self.uses_demo_profile():
            os.environ[WAREHOUSE_ENV] = str(self.demo_warehouse_path())

    def profiles(self) -> dict[str, Any]:
        """profiles.yml as YAML (values not rendered); a one-line UsageError when it cannot be read."""
        path = self.profiles_dir / "profiles.yml"
        try:
            return yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as error:
            raise UsageError(f"{path}: cannot read the dbt profile ({str(error).splitlines()[0]})",
                             "pass --profiles-dir") from None

    def duckdb_settings(self) -> dict[str, str]:
        """The ``settings`` of the DuckDB target dbt runs (profiles.yml, values rendered like dbt
        renders them, ``env_var`` included), so that sqltrain's own queries on the warehouse (gates,
        smell, export) run under the same ``memory_limit``, ``threads`` and ``temp_directory`` as
        dbt's. Empty when the target is not DuckDB or sets nothing; the session time zone is always
        UTC whatever the profile says."""
        path = self.profiles_dir / "profiles.yml"
        if not path.is_file():
            return {}
        _, output = self.target_output()
        if _render(path, output.get("type")) != "duckdb":
            return {}
        return {str(k): _render(path, v) for k, v in (output.get("settings") or {}).items() if str(k).lower() != "timezone"}

    # -- target/manifest.json ----------------------------------------------
    def manifest(self, reload: bool = False) -> dict[str, Any]:
        if self._manifest is None or reload:
            path = self.target_path / "manifest.json"
            if not path.is_file():
                raise UsageError(
                    f"{path}: no dbt manifest", "run `dbt parse` (or `dbt build`) in the project first"
                )
            try:
                with open(path) as fh:
                    self._manifest = json.load(fh)
            except json.JSONDecodeError as error:   # dbt writes it in place: another run may be mid-write
                raise UsageError(f"{path}: not a complete dbt manifest ({error.msg} at char {error.pos})",
                                 "another dbt run may be writing it: give concurrent runs their own "
                                 "target directory (DBT_TARGET_PATH)") from None
        return self._manifest

    def model_node(self, name: str) -> dict[str, Any]:
        """The manifest node of model ``name``; a clear error naming the known models otherwise."""
        nodes = self.manifest()["nodes"]
        for node in nodes.values():
            if node["resource_type"] == "model" and node["name"] == name and node["package_name"] == self.name:
                return node
        known = sorted(n["name"] for n in nodes.values() if n["resource_type"] == "model" and n["package_name"] == self.name)
        training = [n for n in known if sqltrain_meta_of(self._node_named(n)).get("kind") == "training_set"]
        raise UsageError(
            f"unknown model '{name}'",
            f"pass --model with one of: {', '.join(training or known) or '(no models)'}",
        )

    def training_set_node(self, name: str) -> dict[str, Any]:
        """The manifest node of model ``name``, which must declare ``meta.sqltrain.kind: training_set``:
        the commands that gate and export (snapshot, validate, verify, backtest) refuse anything else
        before they build."""
        node = self.model_node(name)
        if sqltrain_meta_of(node).get("kind") != "training_set":
            raise UsageError(
                f"model '{name}' is not a training set (its meta.sqltrain.kind is not training_set)",
                f"pass --model with one of: {', '.join(self.training_sets()) or '(none declared)'}",
            )
        return node

    def _node_named(self, name: str) -> dict[str, Any]:
        for node in self.manifest()["nodes"].values():
            if node["resource_type"] == "model" and node["name"] == name:
                return node
        return {}

    def training_sets(self) -> list[str]:
        nodes = self.manifest()["nodes"].values()
        return sorted(
            n["name"]
            for n in nodes
            if n["resource_type"] == "model"
            and n["package_name"] == self.name
            and sqltrain_meta_of(n).get("kind") == "training_set"
        )


def sqltrain_meta_of(node: dict[str, Any]) -> dict[str, Any]:
    """``meta.sqltrain`` of a manifest node (model or source), wherever dbt put it."""
    for meta in (node.get("config", {}).get("meta"), node.get("meta")):
        if meta and isinstance(meta.get("sqltrain"), dict):
            return meta["sqltrain"]
    return {}


def _render(path: Path, value: Any) -> str:
    """A profile value as dbt renders it: Jinja with ``env_var(name, default)``."""
    import jinja2

    def env_var(name: str, default: str | None = None) -> str:
        found = os.environ.get(name, default)
        if found is None:
            raise UsageError(f"{path}: env_var('{name}') is not set and has no default", f"set {name}")
        return found

    env = jinja2.Environment()
    env.filters.update(as_number=lambda v: v, as_text=str, as_bool=lambda v: v, as_native=lambda v: v)  # dbt's
    try:
        return env.from_string(str(value)).render(env_var=env_var)
    except jinja2.TemplateError as exc:
        raise UsageError(f"{path}: cannot render {value!r} ({exc})", "fix profiles.yml; `dbt debug` shows the same") from None


def _default_profiles_dir(root: Path) -> Path:
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"]).resolve()
    if (root / "profiles.yml").is_file():
        return root
    return Path.home() / ".dbt"


def column_roles(node: dict[str, Any] | None, meta: dict[str, Any]) -> dict[str, str]:
    """Role of each column of a training set: entity / cutoff / label from ``meta.sqltrain``, then
    any column's own ``meta.sqltrain.role``. Columns with no role are features."""
    roles = {column: "entity" for column in meta.get("entity", []) or []}
    if meta.get("cutoff"):
        roles[meta["cutoff"]] = "cutoff"
    if meta.get("label"):
        roles[meta["label"]] = "label"
    for name, column in ((node or {}).get("columns") or {}).items():
        role = sqltrain_meta_of(column).get("role")
        if role:
            roles[name] = role
    return roles
