"""The code collects a kind of personal information that the app's privacy policy does not mention.

## What it does
When the repository holds the app's privacy-policy text (configured `policy.paths`, or else assets and raw
resources whose file name contains `privacy`, `policy` or `隐私`), lists the kinds of personal information the
code collects through Android APIs — device identifiers, Android ID, advertising IDs, installed apps, location,
Wi-Fi, contacts, SMS, camera, clipboard, device model … (the collection points of `pipl-lint report`) — and
reports each kind the policy does not mention, at its first collecting call. A kind is mentioned when the policy
uses its Chinese or English name or a synonym (`设备标识符`, `IMEI`, `Android ID`, `OAID`, `位置`, `剪贴板` …). A
mention inside a denial (`我们不收集 IMEI`, `we do not collect your contacts`) does not count: the finding then
says the policy denies what the code does. Without a policy text it reports nothing.

## Why is this bad?
The policy must state the purpose, method and scope of every collection (191号文 二.1; PIPL Art. 17), and the
collected-information list (已收集个人信息清单) MIIT asks for must match what the app really collects. Code that
reads more than the policy says is collection beyond the notified scope (191号文 三.3) and, when the policy
denies it, violates the app's own rules (191号文 三.9).

## Example
```java
// privacy_policy.html mentions location and the phone number only
String id = Settings.Secure.getString(resolver, Settings.Secure.ANDROID_ID);   // Android ID: not in the policy
```

## Use instead
Mention the personal information in the policy's collected-information section, with the purpose and the
feature that collects it, in the same change as the code — or stop collecting it (an app-scoped random UUID
instead of a device identifier).

## Fix safety
No automatic fix.

## Limitations
Only collection through catalogued Android APIs in the project's own source is seen (as `pi-api-before-consent`,
plus reads after consent and on user actions); what SDKs collect is the SDK list's business
(`sdk-not-disclosed`), and data the user types in is not seen. Matching is by names and synonyms
(`rules/data/pi_kinds.toml`), not by meaning: an unusual wording may be reported (add it as an alias), and a
broad term such as 设备信息 or 存储 counts as a mention. Code in debug-only source sets is ignored.

## References
- 191号文 二.1, 三.3, 三.9
- PIPL Art. 17
- MIIT 2021 信息通信服务感知提升行动 (双清单: 已收集个人信息清单)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.compliance.inventory import collection_points
from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.disclosure._common import kind_mention, policy

META = RuleMeta(
    id="DS402",
    name="pi-kind-not-disclosed",
    category=Category.DISCLOSURE,
    severity=Severity.WARNING,
    summary="The code collects a kind of personal information that the privacy policy does not mention",
    fix="Mention the personal information, its purpose and the feature that collects it in the privacy policy, "
        "or stop collecting it",
    references=("191号文 二.1", "191号文 三.3", "191号文 三.9", "PIPL Art. 17", "MIIT 双清单 (2021)"),
    messages={
        "missing": "`{call}` reads {kind}, which the privacy policy {policy} does not mention{more}",
        "denied": "`{call}` reads {kind}, which the privacy policy {policy} says is not collected{more}",
    },
    fixes={
        "describe": "Describe the collection of {kind} in {policy} (purpose, the feature that collects it, whether "
                    "it leaves the device), or stop reading it here",
        "correct": "Correct {policy}, which says {kind} is not collected (state the purpose and the feature that "
                   "collects it), or stop reading it here",
    },
)


def _more(points: int) -> Msg:
    if points <= 1:
        return Msg("", "")
    n = points - 1
    return Msg(f" ({n} more place{'s' if n > 1 else ''})", f"（另有 {n} 处）")


def check(ctx: Context) -> Iterator[Finding]:
    pol = policy(ctx)
    if pol is None:
        return
    by_kind: dict[str, list[tuple[FnId, Site, str]]] = {}
    for fid, site, api, name in collection_points(ctx):
        if api.pi_kind is not None:
            by_kind.setdefault(api.pi_kind, []).append((fid, site, name))
    for kind_id, points in by_kind.items():
        kind = ctx.catalog.pi_kinds[kind_id]
        said = kind_mention(pol, kind)
        if said == "yes":
            continue
        fid, site, name = points[0]
        label = Msg(kind.label_en, kind.label_zh)
        key = "denied" if said == "denied" else "missing"
        message = ctx.say(META, key, call=name, kind=label, policy=pol.where, more=_more(len(points)))
        fix = ctx.fix_text(META, "correct" if said == "denied" else "describe", kind=label, policy=pol.where)
        yield ctx.site_finding(META, fid, site, message, fix=fix, anchor=f"pi-kind:{kind_id}")
