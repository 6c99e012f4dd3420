"""Findings and the report of one check run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning", "info", "off")


@dataclass
class Finding:
    """One problem at one place of a model's source file."""

    code: str
    severity: str
    message: str
    hint: str
    model: str
    path: str
    line: int = 1
    col: int = 1
    column: str | None = None     # the column at fault, when one is
    suppressed: bool = False
    suppression_reason: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """All findings of a check run, plus what was analysed."""

    findings: list[Finding] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)   # what the check could not see (one line each)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed and f.severity != "off"]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.active if f.severity == "error"]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def for_models(self, names: set[str]) -> "Report":
        return Report([f for f in self.findings if f.model in names], [m for m in self.models if m in names],
                      self.seconds, list(self.notes))
