"""The privacy dialog has no link to the full privacy policy.

## What it does
For the first-run privacy UI (a dialog, activity or composable that shows privacy-policy text with an agree
action) - or, in an app distributed only outside China that has none, the screen that asks whether to share
usage or crash data (one action turns an analytics or crash-report setting on, another off) and links to no
policy address anywhere in the app - looks for
a way to open the full policy from it: a `ClickableSpan`/`URLSpan`, `Linkify`,
`LinkMovementMethod`, HTML text with a link, `android:autoLink`, a `WebView` loading the policy, Compose
`ClickableText`/`LinkAnnotation`/`withLink`/`pushStringAnnotation`/`UriHandler.openUri`, custom tabs, or a
click that starts an activity or opens a URL naming the policy (`PolicyActivity`, `ACTION_VIEW`, a
`privacy` URL), or a view intent built in the UI (`val i = Intent(Intent.ACTION_VIEW, Uri.parse(url))`, started
later). Reports the UI when none is found in it, in its layouts or in the project functions it
calls.

## Why is this bad?
A summary in a dialog is not the policy. 191号文 一.1 requires privacy-policy rules to exist and 一.3 makes a
policy that is hard to reach a violation; reviewers expect the first-run pop-up to link to the full
Privacy Policy (and user agreement) so the user can read what they agree to (PIPL Art. 17 lists what the
notice must contain).

## Example
```kotlin
AlertDialog.Builder(this)
    .setTitle(R.string.privacy_title)
    .setMessage(R.string.privacy_summary)          // summary only, nothing to tap
    .setPositiveButton(R.string.agree) { _, _ -> accept() }
    .setNegativeButton(R.string.disagree) { _, _ -> basicMode() }
    .show()
```

## Use instead
```kotlin
val text = SpannableString(getString(R.string.privacy_summary_with_link))
text.setSpan(object : ClickableSpan() {
    override fun onClick(widget: View) = startActivity(PolicyActivity.intent(widget.context))
}, start, end, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE)
binding.summary.text = text
binding.summary.movementMethod = LinkMovementMethod.getInstance()
```

## Fix safety
No automatic fix.

## Limitations
A dialog known only by its class name (`PrivacyDialog` showing text it receives from a server), or a Compose
screen that shows the `content` its callers pass, is not judged: what it links is not in its own code.
The agree and disagree buttons' own navigation does not count as a link; a link drawn by a custom view or
loaded from a server is not seen. Only the privacy UI is checked, not other places that mention the
policy (a login agreement line, Settings).

## References
- 191号文 一.1, 一.3
- PIPL Art. 17
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, Span
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    POLICY_TEXT,
    START_CALLS,
    ConsentUi,
    collection_choices,
    consent_uis,
    layout_names,
    only_uses,
    outside_china,
    res_text,
    say,
    string_refs,
)

META = RuleMeta(
    id="CF309",
    name="privacy-policy-link-missing",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="The privacy dialog has no link to the full privacy policy",
    fix="Link the full Privacy Policy (and user agreement) from the dialog text, e.g. a ClickableSpan opening it",
    references=("191号文 一.1", "191号文 一.3", "PIPL Art. 17"),
    messages={"no-link": "The privacy UI `{ui}` shows no link to the full privacy policy",
              "no-link-choice": "`{ui}` asks whether to share usage or crash data but shows no link to the privacy "
                                "policy that says what is shared, with whom and why"},
)

LINK_CALLS = frozenset({"ClickableSpan", "URLSpan", "addLinks", "setMovementMethod", "movementMethod",
                        "LinkMovementMethod", "ClickableText", "LinkAnnotation", "withLink", "pushStringAnnotation",
                        "pushUrlAnnotation", "pushLink", "openUri", "launchUrl", "CustomTabsIntent", "loadUrl",
                        "setAutoLinkMask", "autoLinkMask"})
POLICY_NAMES = ("policy", "privacy", "agreement", "protocol", "terms", "web", "browser", "隐私", "协议")


def check(ctx: Context) -> Iterator[Finding]:
    uis = consent_uis(ctx)
    key = "no-link"
    if not uis and outside_china(ctx) and not _policy_url_anywhere(ctx):
        uis, key = collection_choices(ctx), "no-link-choice"  # the opt-in is the app's only consent, nothing links
    for ui in uis:
        if ui.named_only or _slot_filled_by_callers(ctx, ui):
            continue  # texts from elsewhere (a server, the `content` its callers pass): what it links is not here
        if only_uses(ctx, ui, uis) or _links(ctx, ui):
            continue  # a screen that embeds another consent UI is judged by that UI
        span = Span(ui.line, ui.column, ui.line, ui.column + 1)
        message = say(ctx, META, key, ui=ui.name)
        yield ctx.finding(META, ui.path, span, message, anchor=f"{ui.owner}|policy-link")


POLICY_URL = re.compile(r"https?://\S*(privacy|policy|policies|legal|terms|隐私)", re.IGNORECASE)


def _policy_url_anywhere(ctx: Context) -> bool:
    """The app has a privacy policy's address somewhere (a string resource, a literal): an opt-in screen in a
    flow whose next page links it (an onboarding) may lead there."""
    return any(POLICY_URL.search(res.text) for group in ctx.resources.strings.values() for res in group) or \
        any(POLICY_URL.search(lit.value) for fs in ctx.index.files for lit in fs.strings)


def _slot_filled_by_callers(ctx: Context, ui: ConsentUi) -> bool:
    """A Compose screen that shows what its callers pass (`TermsScreen(onAgree, onDecline) { PolicyText() }` calling
    its `content()` parameter): the policy and its links are in the callers' code."""
    for fid in ui.functions:
        params = ctx.index.function(fid).params
        if any(s.kind == "call" and s.receiver is None and s.name in params and not s.args and
               ("content" in s.name.lower() or "body" in s.name.lower()) for s in ctx.index.sites_of(fid)):
            return True
    return False


def _links(ctx: Context, ui: ConsentUi) -> bool:
    handlers = [*ui.agree, *ui.refuse]
    todo: list[tuple[FnId, int]] = [(fid, 0) for fid in ui.functions]
    seen: set[FnId] = set()
    while todo:
        fid, depth = todo.pop()
        if fid in seen:
            continue
        seen.add(fid)
        for site in ctx.index.sites_of(fid):
            if depth == 0 and ui.within is not None and not ui.within[0] <= site.line <= ui.within[1]:
                continue
            in_button = any(h.contains(site) for h in handlers)
            if _is_link(ctx, site, in_button):
                return True
            if depth < 2 and site.kind in ("call", "new") and not in_button:
                todo += [(t, depth + 1) for t, _how in ctx.index.resolve(fid, site)]
            for layout in layout_names(site):
                if _layout_links(ctx, layout):
                    return True
    return False


def _is_link(ctx: Context, site: Site, in_button: bool) -> bool:
    name = site.name.rsplit(".", 1)[-1]
    if name in LINK_CALLS or any(d.supertype.rsplit(".", 1)[-1] in ("ClickableSpan", "URLSpan")
                                 for d in site.deferred):
        return True
    if name in ("fromHtml", "parseAsHtml") and any("href" in res_text(ctx, r) for r in string_refs(site)):
        return True
    if name in START_CALLS and not in_button:
        return _names_policy(site)
    # `Intent(Intent.ACTION_VIEW, Uri.parse(url))` built in the UI, started through a local
    return name == "Intent" and not in_button and bool(site.args) and "ACTION_VIEW" in site.args[0].text


def _names_policy(site: Site) -> bool:
    texts = [r.lower() for a in site.args for r in a.refs] + [s.lower() for a in site.args for s in a.strings]
    return any(w in t for t in texts for w in POLICY_NAMES) or any("ACTION_VIEW" in a.text for a in site.args) or \
        any(POLICY_TEXT.search(t) or t.startswith("http") for t in texts)


def _layout_links(ctx: Context, name: str) -> bool:
    for layout in ctx.resources.layouts:
        if layout.name != name:
            continue
        for el in layout.root.iter():
            if el.get("android:autoLink") or el.tag.rsplit(".", 1)[-1] == "WebView":
                return True
            text = el.get("android:text") or ""
            if text.startswith("@string/") and "href" in res_text(ctx, text):
                return True
    return False
