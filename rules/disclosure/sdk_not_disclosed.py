"""A data-collecting SDK among the dependencies is not mentioned in the app's privacy policy.

## What it does
When the repository holds the app's privacy-policy text — the files configured as `policy.paths`, or else the
text assets (`assets/**/*.html|htm|txt|md`) and raw resources (`res/raw/`) whose file name contains `privacy`,
`policy` or `隐私` — compares it with the catalogued data-collecting SDKs found among the Gradle dependencies and
`libs/` jars. An SDK is disclosed when the policy names it: by its product name or an alias (`友盟+`, `极光推送`,
`Bugly`, `高德定位`, `AppsFlyer`, `Crashlytics` …), its package or Maven group (`com.umeng`, `cn.jiguang.sdk`; a
shorter prefix counts when no other SDK of the app shares it), or its vendor's registered Chinese name when no
other SDK of the app has the same vendor. Reports each SDK that is not named, at its first dependency line.
Without a policy text in the repository it reports nothing (`privacy-policy-link-missing` covers a missing
policy).

## Why is this bad?
The privacy policy must list, one by one, the purpose, method and scope of collection **including embedded
third-party SDKs** (191号文 二.1), and MIIT requires apps to publish a third-party sharing list (与第三方共享个人信息
清单, the 2021 "双清单" campaign) naming each SDK, its operator, purpose and the personal information it
receives. Personal information that an SDK collects is provided to a third party: PIPL Art. 23 requires telling
the user who receives it. "The privacy policy does not list the SDKs" is one of the findings CVERC and MIIT
notices report most often, and it appears as soon as someone adds a dependency without telling compliance.

## Example
```kotlin
// app/build.gradle.kts — the policy in assets/privacy_policy.html lists Umeng and JPush only
implementation("com.umeng.umsdk:common:9.8.5")
implementation("com.appsflyer:af-android-sdk:6.14.2")   // not in the policy
```

## Use instead
Add the SDK to the policy's third-party SDK list (SDK名称, 开发者/运营方, 使用目的, 收集的个人信息, 所需权限,
隐私政策链接) in the same change that adds the dependency, or remove the dependency. `pipl-lint report` drafts
the list from the code.

## Fix safety
No automatic fix: the purpose and the data shared must be written by the people who know them.

## Limitations
Only SDKs in the catalog (`rules/data/sdks.toml`) are known, and only a policy text kept in the repository is
read: a policy that lives only on a web page, in a CMS or in a binary resource is not seen (configure
`policy.paths` to point at a copy). Matching is by names, so a policy that names the SDK in an unusual way may
be reported (add the name as an alias in the catalog), and a policy that names it only in an unrelated sentence
counts as disclosing it. Whether the listed purpose and data are complete and true is not checked.

## References
- 191号文 二.1
- PIPL Art. 23
- MIIT 2021 信息通信服务感知提升行动 (双清单: 与第三方共享个人信息清单)
- GB/T 43435-2023
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import Sdk
from pipl_lint.findings import Category, Finding, Severity, Span
from pipl_lint.i18n import Msg
from pipl_lint.ruleapi import Context, ModuleSdk, RuleMeta
from pipl_lint.rules.disclosure._common import policy, sdk_mentioned

META = RuleMeta(
    id="DS401",
    name="sdk-not-disclosed",
    category=Category.DISCLOSURE,
    severity=Severity.ERROR,
    summary="A data-collecting SDK among the dependencies is not named in the privacy policy",
    fix="Add the SDK to the privacy policy's third-party SDK list (name, operator, purpose, data, permissions, "
        "policy link), or remove the dependency",
    references=("191号文 二.1", "PIPL Art. 23", "MIIT 双清单 (2021)", "GB/T 43435-2023"),
    messages={
        "missing": "{sdk} (`{coordinate}`) is not named in the privacy policy {policy}",
    },
    fixes={
        "add": "Add {sdk} to the third-party SDK list of {policy} with its operator ({operator}), purpose, the "
               "personal information it collects ({kinds}) and its privacy policy ({url}), or remove the dependency",
    },
)


def _first(found: list[ModuleSdk]) -> ModuleSdk:
    """The declaration to report: in an application module when there is one, else the first."""
    apps = [f for f in found if f.module.is_application]
    return min(apps or found, key=lambda f: (f.path, f.line, f.column))


def _kinds(ctx: Context, sdk: Sdk) -> Msg:
    kinds = [ctx.catalog.pi_kinds[k] for k in sdk.pi_kinds if k in ctx.catalog.pi_kinds][:4]
    if not kinds:
        return Msg("—", "—")
    more = len(sdk.pi_kinds) > len(kinds)
    return Msg(", ".join(k.label_en for k in kinds) + (" …" if more else ""),
               "、".join(k.label_zh for k in kinds) + ("等" if more else ""))


def check(ctx: Context) -> Iterator[Finding]:
    pol = policy(ctx)
    if pol is None or not ctx.sdks:
        return
    by_id: dict[str, list[ModuleSdk]] = {}
    for found in ctx.sdks:
        by_id.setdefault(found.sdk_id, []).append(found)
    present = [ctx.catalog.sdk(sdk_id) for sdk_id in by_id]
    for sdk in present:
        if sdk_mentioned(pol, sdk, present):
            continue
        at = _first(by_id[sdk.id])
        message = ctx.say(META, "missing", sdk=sdk.name, coordinate=at.coordinate, policy=pol.where)
        fix = ctx.fix_text(META, "add", sdk=sdk.name, policy=pol.where, operator=Msg(sdk.vendor, sdk.vendor_zh or None),
                           kinds=_kinds(ctx, sdk), url=sdk.policy_url or "—")
        yield ctx.finding(META, at.path, Span.point(at.line, at.column), message, fix=fix, anchor=f"sdk:{sdk.id}")
