"""The clipboard is read automatically in a lifecycle callback instead of on a user action.

## What it does
Finds reads of the clipboard (`ClipboardManager.getPrimaryClip`, `primaryClip`, `getText`,
`hasPrimaryClip`, `getPrimaryClipDescription`) reached from an Activity's or Fragment's lifecycle
(`onCreate`, `onStart`, `onResume`, `onWindowFocusChanged`, `onViewCreated` …) or from the Application,
rather than from a click, paste or other user action — before or after consent. A read in a helper is
reported on the call in the lifecycle code that leads into it (the line to move to a Paste action), with the
reads as related locations: one finding per such call, listing every read it leads to.

## Why is this bad?
Reading the clipboard when a screen opens (typically to detect shared links or tokens) collects whatever
the user copied elsewhere, possibly passwords or messages, without a user action. Regulators have named
apps for it, and Android 12+ shows a "pasted from your clipboard" toast that users notice (191号文 三.1,
四.1; PIPL Art. 6).

## Example
```kotlin
override fun onResume() {
    super.onResume()
    val link = clipboard.primaryClip?.getItemAt(0)?.text   // every time the screen shows
}
```

## Use instead
```kotlin
binding.pasteLink.setOnClickListener {
    val link = clipboard.primaryClip?.getItemAt(0)?.text   // only when the user taps "Paste link"
}
```

## Fix safety
No automatic fix.

## Limitations
A read in a helper that is called both from a lifecycle method and from a click handler is reported for
the lifecycle path. Reads through `ClipboardManager` fields whose type cannot be inferred are matched by
method name.

## References
- 191号文 三.1, 四.1
- PIPL Art. 6
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.reach import Entry, PreConsent
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.early_collection._common import (
    MAX_ENTRY_CALLS,
    Collecting,
    by_entry_call,
    callee,
    entry_call_finding,
    listing,
)

META = RuleMeta(
    id="EC106",
    name="clipboard-read-in-lifecycle",
    category=Category.EARLY_COLLECTION,
    severity=Severity.WARNING,
    summary="The clipboard is read in a lifecycle callback instead of on a user action",
    fix="Read the clipboard only when the user pastes (a click on a Paste button or the paste menu)",
    references=("191号文 三.1", "191号文 四.1", "PIPL Art. 6"),
    messages={"reads": "`{call}` reads the clipboard from {entry}, not on a user action{notes}",
              "leads-to": "`{callee}` reads the clipboard ({calls}) from {entry}, not on a user action"},
)

SCREENS = ("android.app.Activity", "androidx.appcompat.app.AppCompatActivity", "androidx.fragment.app.Fragment",
           "androidx.activity.ComponentActivity", "androidx.fragment.app.FragmentActivity", "android.app.Application",
           "android.app.Fragment")
LIFECYCLE = ("onCreate", "onStart", "onResume", "onPostResume", "onWindowFocusChanged", "onViewCreated",
             "onCreateView", "onActivityCreated", "onAttach", "onRestart", "onNewIntent")


def check(ctx: Context) -> Iterator[Finding]:
    index = ctx.index
    if next(ctx.sites(*ctx.apis.names("clipboard")), None) is None:
        return  # no clipboard API anywhere: no walk from every screen
    entries: list[Entry] = []
    for fqn, (decl, fi) in index.classes.items():
        if decl.kind != "class" or not index.is_subtype(fqn, *SCREENS):
            continue
        for name in LIFECYCLE:
            for fid in index.members.get((fqn, name), ()):
                where = f"`{decl.name}.{name}`"
                note = Msg(f"{where} (runs when the screen shows)", f"{where}（页面显示时运行）")
                entries.append(Entry(fid, "lifecycle", note,
                                     index.files[fi].path, index.function(fid).line))
    reach = PreConsent(index, ctx.consent, entries, stop_at_consent=False)
    hits: list[Collecting] = []
    for reached, site, state in reach.open_sites(lambda _fid, s: ctx.apis.may_match(s, "clipboard")):
        api = ctx.apis.match(reached.fid, site)
        if api is None or api.pi_kind != "clipboard":
            continue
        hits.append(Collecting(reached, site, state, site.qualified, Msg("the clipboard", "剪贴板"), "clipboard",
                               f"`{site.qualified}` reads the clipboard"))
    for entry_call, group in by_entry_call(ctx, hits, reach):
        first = group[0]
        if entry_call is None:
            n = len(reach.entry_calls(first.reached.fid))
            notes = Msg("")
            if n > MAX_ENTRY_CALLS:
                notes = Msg(f"; reached from {n} calls in lifecycle code: change it here, once",
                            f"；生命周期代码中有 {n} 处调用到达此处：在这里修改一次即可")
            message = ctx.say(META, "reads", call=first.call, entry=first.reached.entry.note, notes=notes)
            yield ctx.site_finding(META, first.reached.fid, first.site, message,
                                   trace=reach.trace(first.reached, first.site))
            continue
        _kinds, calls = listing(group)
        message = ctx.say(META, "leads-to", callee=callee(ctx, entry_call), calls=calls,
                          entry=entry_call.caller.entry.note)
        yield entry_call_finding(ctx, META, entry_call, group, message, None, pc=reach)
