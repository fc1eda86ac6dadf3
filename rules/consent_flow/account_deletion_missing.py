"""The app has login or registration but no way to delete (注销) the account.

## What it does
Finds accounts in the app — project functions named like `login`/`signIn`/`signUp`/`register(User|Account)`,
classes named `LoginActivity`/`RegisterActivity`/`SignUp…`, or a catalogued login SDK (one-tap phone login,
QQ login …) — and looks for account deletion: a project function named like `deleteAccount`,
`closeAccount`, `cancelAccount`, `delAccount`, `deactivateAccount`, `unregisterAccount`, `注销账号`, or a text
offering it — a string resource, a layout's own `android:text` or a literal in code (注销账号, 注销帐号, 账号注销,
删除账号, "delete account", "close account"). Reports the app once, at the
Application class, with where the login was found.

Where the app is distributed (`distribution`) decides which accounts count. In China (`china-stores`, `both`,
the default) every login does: 191号文 asks for 注销 of the user account whatever its origin. Outside China
(`google-play`, `elsewhere`) only accounts the app creates itself do — a sign-up screen (`SignUpActivity`,
`RegisterFragment`) or function (`signUp`, `registerUser`, `createAccount`): Google Play's account-deletion policy
covers accounts created from within the app, and a login to the user's own server, to a third-party service
(OAuth to a tracker) or to an account made on a website has no account of the app's own to delete.

## Why is this bad?
191号文 六.1 makes it a violation not to provide an effective function to delete personal information and
cancel the user account ("未提供有效的更正、删除个人信息及注销用户账号功能"); obstacles to account cancellation are
category 8 of the MIIT campaign (337号 (8), 为用户账号注销设置障碍).

## Example
```java
public class LoginActivity extends AppCompatActivity { /* phone + SMS code login */ }
// Settings: log out only
```

## Use instead
```kotlin
binding.deleteAccount.setOnClickListener {
    confirm(R.string.delete_account_warning) {
        lifecycleScope.launch { if (accounts.deleteAccount()) { InstallationId.reset(ctx); finish() } }
    }
}
```

## Fix safety
No automatic fix.

## Limitations
Account deletion offered only on a web page or through customer service is not seen (reviewers usually
want it in the app). Login implemented entirely inside a WebView or an SDK's own screens without a
catalogued SDK is not recognised. Whether deletion completes within 15 working days (191号文 六.3) is not
checkable.

## References
- 191号文 六.1, 六.2
- 337号 (8) 为用户账号注销设置障碍
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, TraceStep
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import app_anchor, element_texts, outside_china, say, short

META = RuleMeta(
    id="CF312",
    name="account-deletion-missing",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="The app has login or registration but no account deletion (注销账号)",
    fix="Add 注销账号 in Settings: delete the account and its data, with no conditions stricter than registering",
    references=("191号文 六.1", "191号文 六.2", "337号 (8)"),
    messages={"no-deletion": "The app has accounts ({login}) but offers no way to delete them (注销账号)"},
)

# Over identifiers (function and class names).
LOGIN_FUNCTION = re.compile(r"^(do|perform|start|request)?(log[iI]n|sign[iI]n|sign[uU]p|register(User|Account))"
                            r"(With\w*|Async|ByPhone\w*|BySms\w*)?$")
LOGIN_CLASS = re.compile(r"(Login|SignIn|SignUp|Register|Registration)(Activity|Fragment|Screen|Page|Dialog)$")
DELETE_FUNCTION = re.compile(r"(delete|del|close|cancel|deactivate|unregister|remove|destroy|erase)(My)?(User)?"
                             r"Account|accountDeletion|注销", re.IGNORECASE)
SIGN_UP_CLASS = re.compile(r"(SignUp|Signup|Register|Registration|CreateAccount)"
                           r"(Activity|Fragment|Screen|Page|Dialog)$")
SIGN_UP_FUNCTION = re.compile(r"^(do|perform|start|request)?(sign[uU]p|register(User|Account)|createAccount)"
                              r"(With\w*|Async|ByPhone\w*|BySms\w*)?$")
# Over string resources.
DELETE_TEXT = re.compile(r"注销(账号|帐号|账户|帐户)|(账号|帐号|账户|帐户)注销|删除(账号|帐号|账户|帐户)|"
                         r"(delete|close|deactivate|cancel) (my |your |the )?account|account deletion",
                         re.IGNORECASE)


def check(ctx: Context) -> Iterator[Finding]:
    logins = _logins(ctx)
    if not logins or _deletion(ctx):
        return
    if outside_china(ctx) and not _sign_up(ctx):
        return  # the account is made elsewhere (the user's own server, a third-party service, a website)
    anchor = app_anchor(ctx)
    if anchor is None:
        return
    message = say(ctx, META, "no-deletion", login=logins[0][2])
    trace = tuple(TraceStep(path, line, note) for path, line, note in logins[:3])
    yield ctx.finding(META, anchor.path, anchor.span, message, trace=trace, anchor="account-deletion")


def _logins(ctx: Context) -> list[tuple[str, int, str]]:
    out: list[tuple[str, int, str]] = []
    for decl, fi in ctx.index.classes.values():
        if LOGIN_CLASS.search(decl.name):
            out.append((ctx.index.files[fi].path, decl.line, f"`{decl.name}`"))
    for fid in ctx.index.all_functions():
        fn = ctx.index.function(fid)
        if LOGIN_FUNCTION.match(fn.name):
            out.append((ctx.path_of(fid), fn.line, f"`{short(fn.owner)}.{fn.name}`"))
    for found in ctx.sdks:
        sdk = ctx.catalog.sdk(found.sdk_id)
        if sdk.category == "login":
            out.append((found.path, found.line, sdk.name.split(" (", 1)[0]))
    return out


def _sign_up(ctx: Context) -> bool:
    """The app creates accounts itself: a sign-up screen (`SignUpActivity`, `RegisterFragment`) or function
    (`signUp`, `registerUser`, `createAccount`)."""
    for decl, _fi in ctx.index.classes.values():
        if SIGN_UP_CLASS.search(decl.name):
            return True
    return any(SIGN_UP_FUNCTION.match(ctx.index.function(fid).name) for fid in ctx.index.all_functions())


def _deletion(ctx: Context) -> bool:
    for fid in ctx.index.all_functions():
        if DELETE_FUNCTION.search(ctx.index.function(fid).name):
            return True
    if any(DELETE_TEXT.search(res.text) for group in ctx.resources.strings.values() for res in group):
        return True
    # a layout's own text (`android:text="注销账号"`) or a literal in code (`setPositiveButton("继续注销账号", …)`)
    if any(DELETE_TEXT.search(t) for layout in ctx.resources.layouts for el in layout.root.iter()
           for t in element_texts(ctx, el)):
        return True
    return any(DELETE_TEXT.search(lit.value) for fs in ctx.index.files for lit in fs.strings)
