"""A `pipl-lint: ignore[...]` comment says which finding it hides but not why.

## What it does
Reports suppression comments — `// pipl-lint: ignore[EC101]`, `/* pipl-lint: ignore[EC101] */` in Kotlin
and Java, `<!-- pipl-lint: ignore[EP201] -->` in XML — with nothing after the closing bracket. Turned off
with `require-reason = false` under `[suppressions]` in `pipl-lint.toml`.

## Why is this bad?
A suppression is a decision that personal information may be handled this way. Without the reason, a
reviewer, an auditor or the next developer cannot tell a checked false positive from a silenced real
problem. PIPL Art. 51 asks handlers for internal rules and measures that keep processing compliant; a
recorded reason is the smallest such record.

## Example
```kotlin
val id = Settings.Secure.getString(resolver, Settings.Secure.ANDROID_ID) // pipl-lint: ignore[EC101]
```

## Use instead
```kotlin
// pipl-lint: ignore[EC101] only runs after PrivacyActivity stored the consent (checked in BaseActivity)
val id = Settings.Secure.getString(resolver, Settings.Secure.ANDROID_ID)
```

## Fix safety
No automatic fix: only a person knows the reason.

## Limitations
Any text counts as a reason. `@Suppress`/`@SuppressLint` annotations and `tools:ignore` attributes have no
place for a reason and are not reported; prefer a comment where the reason matters. Gradle files are not
checked.

## References
- PIPL Art. 51
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, Span
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.suppress import collect

META = RuleMeta(
    id="SP501",
    name="suppression-without-reason",
    category=Category.SUPPRESSION,
    severity=Severity.WARNING,
    summary="A `pipl-lint: ignore[...]` comment gives no reason",
    fix="Write why the finding does not apply after the closing bracket",
    references=("PIPL Art. 51",),
    messages={"no-reason": "`pipl-lint: ignore[{rules}]` gives no reason"},
    fixes={"add-reason": "Add the reason after the bracket: `pipl-lint: ignore[{rules}] <why it does not apply>`"},
)


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.config.require_reason:
        return
    for s in collect(ctx):
        if s.kind != "comment" or s.reason:
            continue
        rules = ", ".join(sorted(s.rules)) or "…"
        yield ctx.finding(
            META, s.path, Span(s.line, 1, s.line, 1 + max(1, len(s.text))),
            ctx.say(META, "no-reason", rules=rules),
            fix=ctx.fix_text(META, "add-reason", rules=rules),
            anchor=f"ignore[{rules}]")
