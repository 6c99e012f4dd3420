"""The rule catalogue: one module per rule, registered here in code order."""

from __future__ import annotations

from .base import Hit, Rule, RuleContext
from .lk000_suppression_reason import SuppressionWithoutReason
from .lk001_unbounded_join import UnboundedJoin
from .lk002_wrong_bound import WrongBound
from .lk003_forward_window import ForwardWindow
from .lk004_global_statistic import GlobalStatistic
from .lk005_label_as_feature import LabelAsFeature
from .lk006_wall_clock import WallClock
from .lk007_mutable_dimension import MutableDimension
from .lk008_split_embargo import SplitEmbargo
from .lk009_unlagged_label_history import UnlaggedLabelHistory
from .lk010_known_at_unbounded import KnownAtUnbounded
from .lk011_survivorship import Survivorship
from .lk012_unbounded_latest import UnboundedLatest
from .lk013_label_maturity import LabelMaturity
from .lk099_not_analysed import NotAnalysed

RULES: tuple[Rule, ...] = (
    SuppressionWithoutReason(),
    UnboundedJoin(),
    WrongBound(),
    ForwardWindow(),
    GlobalStatistic(),
    LabelAsFeature(),
    WallClock(),
    MutableDimension(),
    SplitEmbargo(),
    UnlaggedLabelHistory(),
    KnownAtUnbounded(),
    Survivorship(),
    UnboundedLatest(),
    LabelMaturity(),
    NotAnalysed(),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_CODE", "Hit", "Rule", "RuleContext"]
