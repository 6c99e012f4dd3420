"""Generate the rule pages ``docs/rules/LK0NN.md`` from the rules' docstrings.

The docstring is the single source: a test checks that the committed pages equal what this
module generates, and the examples in them run as test cases. Regenerate with::

    python -m sqltrain.leakage.docs docs/rules
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from .rules import RULES, Rule

SECTIONS = ("Why is this bad?", "Example", "Use instead")


def sections(rule: Rule) -> dict[str, str]:
    """``{"title": …, "Why is this bad?": …, "Example": …, "Use instead": …}`` of a rule's docstring."""
    doc = inspect.cleandoc(type(rule).__doc__ or "")
    title, _, body = doc.partition("\n")
    parts: dict[str, str] = {"title": title.strip()}
    current = None
    lines: list[str] = []
    for line in body.splitlines():
        if line.strip() in SECTIONS and not line.startswith(" "):
            if current:
                parts[current] = inspect.cleandoc("\n".join(lines))
            current, lines = line.strip(), []
        else:
            lines.append(line)
    if current:
        parts[current] = inspect.cleandoc("\n".join(lines))
    return parts


def examples(rule: Rule) -> tuple[str, str]:
    """The leaky and the fixed SQL of a rule's page."""
    parts = sections(rule)
    leaky = re.search(r"```sql\n(.*?)```", parts["Example"], re.S).group(1)
    fixed = re.search(r"```sql\n(.*?)```", parts["Use instead"], re.S).group(1)
    return leaky, fixed


BANNER = ("<!-- generated from src/sqltrain/leakage/rules/ by `python -m sqltrain.leakage.docs docs/rules`; "
          "edit the docstring, not this file -->")


def rule_page(rule: Rule) -> str:
    parts = sections(rule)
    return f"""{BANNER}
# {rule.code} — {rule.name}

{parts['title']}

- **Default severity:** {rule.severity}
- **Summary:** {rule.summary}
- **Hint printed with each finding:** {rule.hint}

## Why is this bad?

{parts['Why is this bad?']}

## Example

{parts['Example']}

## Use instead

{parts['Use instead']}

## Silencing it

On the line the finding points to (a reason is required, see [LK000](LK000.md)):

```sql
-- sqltrain: ignore[{rule.code}] why this is not a leak here
```

or change its severity for the whole project in `dbt_project.yml`:

```yaml
vars:
  sqltrain:
    check:
      severity:
        {rule.code}: warning   # error | warning | info | off
```

[All rules](../leakage.md)
"""


def write_pages(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in RULES:
        path = directory / f"{rule.code}.md"
        path.write_text(rule_page(rule))
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")):
        print(written)
