"""The "I agree to the privacy policy" checkbox is ticked by default.

## What it does
Finds agreement checkboxes that start checked:

- layout XML: a `CheckBox`, `AppCompatCheckBox`, `MaterialCheckBox`, `RadioButton` (or their AppCompat /
  Material variants) or `CheckedTextView` with `android:checked="true"` whose own text, or the text of an
  element next to it, names the privacy policy, user agreement or terms (隐私政策, 用户协议, 同意 …);
- code: `setChecked(true)` on a view whose name says agreement/privacy/policy/protocol/consent/terms, or on
  any checkbox of a screen that shows privacy-policy text — unless it runs in a click or check listener
  (the user's own tap) or only where the stored answer says the user agreed (it shows that answer);
- Compose: `Checkbox(checked = true, …)`, or a `Checkbox` whose state starts as `mutableStateOf(true)` in a
  composable that shows policy text.

## Why is this bad?
Consent must be given by an explicit act (PIPL Art. 14). 191号文 三.4 names consent obtained by non-explicit
means, such as a privacy policy agreed by default, and MIIT 26号 一(三)9 forbids inducing consent "采用默认勾选"
(with pre-ticked boxes).

## Example
```xml
<CheckBox
    android:id="@+id/agreement"
    android:checked="true"
    android:text="@string/login_agreement" />   <!-- 我已阅读并同意《隐私政策》 -->
```

## Use instead
```xml
<CheckBox
    android:id="@+id/agreement"
    android:checked="false"
    android:text="@string/login_agreement" />
```
and refuse to log in until the user ticks it.

## Fix safety
No automatic fix: the login flow must also check the box's state.

## Limitations
Kotlin property assignments (`agreement.isChecked = true`) are not seen: the summary keeps the property
access, not the value written to it; the Java form `setChecked(true)` and Kotlin `setChecked(true)` are.
Checkboxes styled as something else (a custom view drawing a tick) and checked states restored from
storage are not recognised.

## References
- 191号文 三.4
- MIIT 26号 一(三)9
- PIPL Art. 14
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.consent import is_user_deferred
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
from pipl_lint.parse.xml import XmlElement
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    AGREEMENT_TEXT,
    POLICY_TEXT,
    arg_texts,
    element_texts,
    fix_text,
    functions_of,
    res_text,
    say,
    value,
)

META = RuleMeta(
    id="CF308",
    name="consent-checkbox-prechecked",
    category=Category.CONSENT_FLOW,
    severity=Severity.ERROR,
    summary="The agreement checkbox for the privacy policy is checked by default",
    fix="Leave the agreement checkbox unchecked and require the user to tick it",
    references=("191号文 三.4", "MIIT 26号 一(三)9", "PIPL Art. 14"),
    messages={
        "layout": '`{tag}` next to "{text}" is checked by default (`android:checked="true"`)',
        "code": "`{call}(true)` ticks the agreement checkbox for the user",
        "compose-true": "`Checkbox(checked = true)` shows the agreement as accepted before the user ticks it",
        "compose-state": "`Checkbox(checked = {state})` starts checked: `{state}` is `mutableStateOf(true)`",
    },
    fixes={
        "layout": 'Set `android:checked="false"` and block the action until the user ticks the box',
        "code": "Start the agreement checkbox unchecked; only the user may tick it",
        "compose": "Start the agreement state as `mutableStateOf(false)`; only the user may tick it",
    },
)

CHECKABLE = frozenset({"CheckBox", "AppCompatCheckBox", "MaterialCheckBox", "RadioButton", "AppCompatRadioButton",
                       "MaterialRadioButton", "CheckedTextView"})
AGREEMENT_NAME = re.compile(r"agree|privacy|policy|protocol|consent|terms|隐私|协议", re.IGNORECASE)


def check(ctx: Context) -> Iterator[Finding]:
    yield from _layouts(ctx)
    yield from _code(ctx)
    yield from _compose(ctx)


# --- layouts ---------------------------------------------------------------------------------------------------

def _layouts(ctx: Context) -> Iterator[Finding]:
    for layout in ctx.resources.layouts:
        for parent in layout.root.iter():
            for el in parent.children:
                if el.tag.rsplit(".", 1)[-1] not in CHECKABLE or (el.get("android:checked") or "") != "true":
                    continue
                text = _agreement_text(ctx, el, parent)
                if not text:
                    continue
                tag = el.tag.rsplit(".", 1)[-1]
                message = say(ctx, META, "layout", tag=tag, text=_clip(text))
                fix = fix_text(ctx, META, "layout")
                yield ctx.finding(META, layout.path, ctx.element_span(el), message, fix=fix,
                                  anchor=f"{layout.name}|{el.get('android:id') or tag}")


def _agreement_text(ctx: Context, el: XmlElement, parent: XmlElement) -> str:
    """The box's own text when it names the agreement; for a box without text, the label next to it."""
    own = element_texts(ctx, el)
    if own:
        return next((t for t in own if AGREEMENT_TEXT.search(t)), "")
    for sibling in parent.children:
        if sibling is el or sibling.tag.rsplit(".", 1)[-1] in CHECKABLE:
            continue
        for text in element_texts(ctx, sibling):
            if POLICY_TEXT.search(text) or AGREEMENT_TEXT.search(text):
                return text
    return ""


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


# --- code ------------------------------------------------------------------------------------------------------

def _code(ctx: Context) -> Iterator[Finding]:
    for fid, site in ctx.sites("setChecked"):
        if not site.args or value(site.args[0]) != "true" or _by_user(site) or _restores_answer(ctx, site):
            continue
        receiver = site.receiver or ""
        if not AGREEMENT_NAME.search(receiver) and not _shows_policy(ctx, fid):
            continue
        message = say(ctx, META, "code", call=site.qualified)
        yield ctx.site_finding(META, fid, site, message, fix=fix_text(ctx, META, "code"))


def _restores_answer(ctx: Context, site: Site) -> bool:
    """The box is ticked only where the user already agreed (`if (mPrivacy && mAgreement) setChecked(true)`): it
    shows the stored answer, it does not answer for the user."""
    return any(ctx.consent.guard_state(g) > 0 for g in site.guards)


def _by_user(site: Site) -> bool:
    return any(is_user_deferred(d) for d in site.deferred)


def _shows_policy(ctx: Context, fid: FnId) -> bool:
    """The class around `fid` passes privacy-policy text (a literal or string resource) somewhere."""
    owner = ctx.index.function(fid).owner
    for other in functions_of(ctx, owner):
        for s in ctx.index.sites_of(other):
            if any(POLICY_TEXT.search(t) for t in _texts(ctx, s)):
                return True
    return False


# --- Compose -----------------------------------------------------------------------------------------------------

def _compose(ctx: Context) -> Iterator[Finding]:
    for fid, site in ctx.sites("Checkbox", "TriStateCheckbox"):
        checked = next((a for a in site.args if a.label in ("checked", "state")), site.args[0] if site.args else None)
        if checked is None or _by_user(site):
            continue
        sites = list(ctx.index.sites_of(fid))
        if not any(POLICY_TEXT.search(t) or AGREEMENT_TEXT.search(t) for s in sites for t in _texts(ctx, s)):
            continue
        state = value(checked)
        if state == "true":
            message = say(ctx, META, "compose-true")
        elif state.isidentifier() and _starts_true(sites, state):
            message = say(ctx, META, "compose-state", state=state)
        else:
            continue
        yield ctx.site_finding(META, fid, site, message, fix=fix_text(ctx, META, "compose"))


def _texts(ctx: Context, site: Site) -> list[str]:
    out = arg_texts(ctx, site.args)
    if site.kind == "field" and (site.receiver or "").endswith("R.string"):
        out.append(res_text(ctx, site.name))
    return out


def _starts_true(sites: list[Site], name: str) -> bool:
    """One boolean state in the composable starts as `true` (and none as `false`)."""
    initial = [value(s.args[0]) for s in sites if s.name == "mutableStateOf"
               and s.args and value(s.args[0]) in ("true", "false")]
    return initial.count("true") == 1 and "false" not in initial
