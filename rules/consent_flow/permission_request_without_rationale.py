"""A runtime permission is requested without first telling the user what it is for.

## What it does
For every runtime permission request, looks for a purpose shown before the system dialog, in the request's
own context or in its callers (two levels up):

- the request runs from a confirmation of an explanation: a dialog's positive button (also a result
  callback's `which == BUTTON_POSITIVE` branch or `case BUTTON_POSITIVE:`), a Compose `confirmButton`, a
  "continue"/"allow" button, a confirmation callback handed to the project's own explanation dialog
  (`continueYesCallback = { … }`, the `clickOk()` of its listener, its Java setter `dialog.setOnGrant(() -> …)`),
  a `DialogInterface.OnClickListener` handed to the app's own dialog helper (`showConfirm(v, "Save the picture?",
  "Save", listener)`), or the answer of the app's own dialog about that permission
  (`showPreviewDialog(activity, CAMERA) { ok -> if (ok) request(CAMERA) }`);
- a `shouldShowRequestPermissionRationale` check (or the app's own flag for it, `if (!request.showRationale)`:
  the request runs on the side where no rationale is due yet, the other side explains), or a call to the
  project's own `showRationale…` / `explain…` / `…Purpose…` function;
- a dialog, bottom sheet, snackbar or popup (`AlertDialog`, `MaterialAlertDialogBuilder`, `Snackbar.make`,
  `PopupWindow` …) or a string resource named like a purpose (`…_rationale`, `…_purpose`, `…_reason`)
  shown earlier in the same context;
- the request's screen is a permission page: a layout its class uses says which permissions the app asks
  for and why ("为了提供闹钟提醒和天气，需要向您申请以下权限：", "we need these permissions to …"), above the list
  and the button that asks, and the request is made from that button (a page that asks as it opens puts the
  system dialog over its text before anyone read it);
- the request form carries its own explanation: EasyPermissions' rationale text, PermissionX's
  `explainReasonBeforeRequest()` (its `onExplainRequestReason` alone runs only after a refusal, so the first
  system dialog comes unexplained), XXPermissions' `interceptor`/`description`, a builder's own dialog text
  (`VMPermission.setEnableDialog(true).setDialogContent("…")`).

A request made in context, on the user's own action (a click, a toggle's checked-change, a preference change,
a Compose `onClick`, a menu item, a snackbar action; or a function only such handlers call), depends on where the
app is distributed (`distribution`). What the linter follows to tell: a coroutine (`scope.launch { … }`) or scope
function (`let`, `apply` …) block runs where it is written; a lambda handed to a project function
(`SensorView(onSetEnabled = { … })`) runs where that function invokes the parameter (every invocation must be on a
user action, also where it hands the lambda on to another composable or to a control's `onCheckedChange`); a
composable's code that runs only while a state of its own holds a value runs where the value is given
(`IconButton(onClick = { picture = render() })` … `picture?.let { … }`); an observer of a LiveData or Flow
(`vm.requests.observe(owner) { … }`, `events.collect { … }`) runs where the value is set (`requests.value = …`,
`postValue`, `_events.tryEmit`): every place that sets it, outside the observer itself, must be on a user action;
an operator of an RxBinding stream of a view's events held in a property (`view.sendIntent.filter { … }` where
`override val sendIntent by lazy { send.clicks() }`) runs on the tap; the result callback of an earlier request
(`onRequestPermissionsResult`, an ActivityResult callback, Accompanist's `rememberPermissionState(p) { … }`) is
the user's answer, so a follow-up request there (background location after foreground) is on the same action.

- `google-play` and `elsewhere` (neither store): it counts as explained by its context, and so does a request
  made as a screen the user opened appears (an activity, fragment or destination the startup walk does not
  reach: the scanner asking for the camera as it opens, also from a Compose `LaunchedEffect`, inside the app's
  theme, `Scaffold` or `Box` content; not a request in a callback of loaded data or a timer). Android's guidance
  asks for a request in context, and for a separate rationale only when `shouldShowRequestPermissionRationale`
  is true; what runs at startup has none.
- `china-stores` and `both` (the default): it counts as explained when the control the user acted on names the
  feature every asked permission serves — the view the listener is set on (`mTvPressSpeech`, `R.id.btn_scan`),
  the lambda's label (`onToggleNotification = { … }`), the view id a click handler branches on
  (`R.id.iv_take_photo ->`), here or in a caller two levels up: a "hold to talk" button asking for the
  microphone, a face-enrolment row asking for the camera, a notification toggle asking to post notifications.
  Otherwise it is still reported, with a message naming the requirement: MIIT's 2023 notice
  (工信部信管函〔2023〕26号) asks apps to show the purpose at the same time as the system dialog. Meet it with a
  purpose banner shown while the system dialog is open (or a dialog before it).

Requests that never run are not judged: in an activity nothing can start (declared without an intent filter,
not exported, in an app with a launcher, and named by no other code, import, class-name string, navigation graph
or shortcut), or in an observer of a value held in a `MutableLiveData` / `SingleLiveEvent` / `MutableStateFlow`
field that nothing in the project sets (its trigger commented out).

Configuration: `permissions.require-rationale = false` turns the rule off (for apps whose explanation is
shown by a platform or framework the linter cannot see).

## Why is this bad?
191号文 二.3 makes it a violation not to state the purpose when asking for a permission that can collect
personal information; MIIT 26号 requires apps to tell users why at the same time as they call album,
contacts, location and similar permissions ("同步告知用户申请该权限的目的"). The system dialog itself only names the
permission group, never the app's reason.

## Example
```kotlin
binding.verify.setOnClickListener {                        // "verify": nothing says the camera is used
    cameraPermission.launch(Manifest.permission.CAMERA)   // straight to the system dialog
}
```

## Use instead
```kotlin
binding.verify.setOnClickListener {
    MaterialAlertDialogBuilder(this)
        .setTitle(R.string.camera_rationale_title)
        .setMessage(R.string.camera_rationale)              // "用于拍摄身份证照片，不会保存图像"
        .setPositiveButton(R.string.action_continue) { _, _ -> cameraPermission.launch(Manifest.permission.CAMERA) }
        .setNegativeButton(R.string.not_now, null)
        .show()
}
```

## Fix safety
No automatic fix: the purpose text is the app's own.

## Limitations
The linter sees that something is shown, not what it says: a dialog about something else in the same
function counts as an explanation, and a control is judged by its name (`btnScan`), not by the label the user
reads. Purpose banners drawn by a shared base class or a custom view outside
the caller chain are not seen; configure `permissions.require-rationale = false` or suppress the finding
where that is the case. A T/TAF 076 `<meta-data>` purpose in the manifest is not shown to the user at the
time of the request and does not count. A request written inside a function value that is stored or handed
back for later (`val request = remember { { launcher.launch(perms) } }`), or handed to a project function that
keeps it without calling it (`viewModel.setPermissionInfo(granted) { launcher.launch(perms) }`), is not
judged: where it is invoked is not followed. An activity started only by code the summaries do not record (a
class literal as a bare `when` branch result in the same package, no import) is taken as never started. A
`DialogInterface.OnClickListener` handed to the app's own helper counts as the confirmation even when the helper
sets it on a negative button or a list.

## References
- 191号文 二.3
- MIIT 26号 (同步告知用户申请该权限的目的)
- TC260-PG-20204A (state the purpose when requesting)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.consent import NAV_DESTINATIONS, NAV_HOSTS, is_user_deferred
from pipl_lint.model.consent_flow import (
    COROUTINE_CALLS,
    INLINE_CALLS,
    NEGATIVE_CALLS,
    answer_setter,
    functions_of,
    identifier_words,
    in_unstarted_activity,
    layout_names,
    layout_texts,
    never_fed,
)
from pipl_lint.model.index import FnId
from pipl_lint.model.requests import PermissionRequest, chain_text
from pipl_lint.model.summary import Arg, Deferred, Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    POSITIVE_CALLS,
    asked_permissions,
    callers,
    dangerous,
    fix_text,
    on_user_action,
    outside_china,
    perm_short,
    requests_at_startup,
    say,
    stored_for_later,
    string_refs,
)

META = RuleMeta(
    id="CF304",
    name="permission-request-without-rationale",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="A runtime permission is requested without first showing the user what it is for",
    fix="Show why the permission is needed (a dialog or banner naming the feature) before the system dialog",
    references=("191号文 二.3", "MIIT 26号", "TC260-PG-20204A"),
    messages={
        "no-rationale": "`{call}` asks for {permissions} without first showing why (no rationale dialog, "
                        "`shouldShowRequestPermissionRationale` branch or purpose text before it)",
        "no-purpose-on-action": "`{call}` asks for {permissions} on a user action without showing its purpose "
                                "with the system dialog: MIIT's 2023 notice (26号) asks apps distributed in China "
                                "to state the purpose at the same time as the permission dialog",
    },
    fixes={
        "explain-first": "Before asking for {permissions}, show what the feature needs it for (a dialog whose positive "
                         "button makes the request, or a purpose banner while the system dialog shows)",
        "purpose-with-dialog": "Show a purpose banner (what {permissions} is used for) at the top of the screen "
                               "while the system dialog is open, and hide it in the result callback; for an app "
                               "not distributed in China set `distribution = \"google-play\"` (or `\"elsewhere\"`)",
    },
)

RATIONALE_CALLS = frozenset({"shouldShowRequestPermissionRationale", "shouldShowRationale",
                             "explainReasonBeforeRequest", "onExplainRequestReason", "showRequestReasonDialog",
                             "interceptor", "description", "rationale", "setRationale", "setDialogContent",
                             "setDialogMessage"})
# Rationale callbacks that run only after a first refusal (PermissionX without `explainReasonBeforeRequest`).
AFTER_DENIAL = frozenset({"onExplainRequestReason"})
DIALOG_CALLS = frozenset({"AlertDialog", "Builder", "MaterialAlertDialogBuilder", "BottomSheetDialog",
                          "ModalBottomSheet", "BasicAlertDialog", "PopupWindow", "showAtLocation", "showAsDropDown",
                          "setMessage", "Dialog", "AppCompatDialog"})
CONFIRM_LABELS = frozenset({"confirmButton", "onConfirm", "onConfirmed", "onPositive", "onContinue", "onAllow",
                            "onOk", "onAccept", "onGrant", "onProceed", "onNext", "positiveButton"})
# The confirming method of the app's own explanation popup's callback (`clickOk()`, `onSure()`, `confirmClick()`).
CONFIRM_METHOD = re.compile(r"^(on|click)?_?(ok|sure|confirm(ed)?|positive|yes|allow|continue|proceed)_?"
                            r"(click(ed)?|button|btn)?$", re.IGNORECASE)
CONFIRM_WORDS = ("positive", "confirm", "continue", "allow", "proceed", "grant", "understand", "gotit", "go_on",
                 "btnok", "okbutton", "ok_button", "next")
CONFIRM_LABEL_WORDS = ("positive", "confirm", "continue", "allow", "proceed", "yes", "accept")
PURPOSE_WORDS = ("rationale", "purpose", "reason", "explain", "explanation", "why", "tip", "notice", "usage",
                 "说明", "用途", "目的")


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.config.require_rationale:
        return
    for req in ctx.permission_requests:
        if stored_for_later(ctx, req.fid, req.site):
            continue  # a request function kept for later (`remember { { launcher.launch(p) } }`): when, unknown
        if in_unstarted_activity(ctx, req.fid):
            continue  # in an activity nothing can start (declared, not exported, named nowhere else): dead code
        if never_fed(ctx, req.site):
            continue  # in an observer of a value nothing in the project sets: it never runs
        asked = asked_permissions(ctx, req)
        if not asked.en or _explained(ctx, req):
            continue
        if outside_china(ctx) and _as_screen_opens(ctx, req):
            continue  # asked as a screen the user opened appears, not at startup: in context (Android guidance)
        if on_user_action(ctx, req.fid, req.site):
            if outside_china(ctx):
                continue  # asked in context, on the user's own action: the control explains it (Android guidance)
            if _control_names_purpose(ctx, req):
                continue  # the tapped control names the feature (`voiceButton` → microphone): the purpose is shown
            message = say(ctx, META, "no-purpose-on-action", call=req.site.qualified, permissions=asked)
            fix = fix_text(ctx, META, "purpose-with-dialog", permissions=asked)
        else:
            message = say(ctx, META, "no-rationale", call=req.site.qualified, permissions=asked)
            fix = fix_text(ctx, META, "explain-first", permissions=asked)
        yield ctx.site_finding(META, req.fid, req.site, message, fix=fix)


def _as_screen_opens(ctx: Context, req: PermissionRequest) -> bool:
    """The request runs as its screen opens (not in a callback of loaded data, a timer or a message: only through
    coroutine or scope-function blocks), and the startup walk does not reach it: the user opened that screen."""
    if not _runs_as_called(ctx, req.fid, req.site, 2):
        return False
    return not any(r is req for r, _reached in requests_at_startup(ctx))


# Compose content and effects run as their screen enters the composition: a destination's content when it is
# navigated to, an activity's `setContent`, the effects of a composable.
COMPOSITION_EFFECTS = frozenset({"LaunchedEffect", "SideEffect", "DisposableEffect", "setContent", *NAV_HOSTS,
                                 *NAV_DESTINATIONS})


def _runs_as_called(ctx: Context, fid: FnId, site: Site, depth: int) -> bool:
    """`site` runs when its function runs, and so does every call leading to it (up to `depth` callers): only
    coroutine and scope-function blocks or Compose effects in between, no posted, observed or answered
    callback."""
    if any(d.call not in COROUTINE_CALLS and d.call not in INLINE_CALLS and d.call not in COMPOSITION_EFFECTS
           and not _composed_content(ctx, fid, site, i) for i, d in enumerate(site.deferred)):
        return False
    if depth <= 0:
        return True
    return all(_runs_as_called(ctx, caller, call, depth - 1) for caller, call in callers(ctx, fid))


# PascalCase calls taking a trailing lambda that are no composables: the lambda runs later, elsewhere.
NOT_COMPOSABLES = frozenset({"Thread", "Runnable", "Handler", "Timer", "TimerTask", "Callable", "CountDownTimer",
                             "Executor", "Observer", "AlertDialog", "Dialog"})


def _composed_content(ctx: Context, fid: FnId, site: Site, i: int) -> bool:
    """The `i`-th deferred context of `site` is a composable's content (`Scaffold { … }`, `Box { … }`,
    `AppTheme { … }`): a trailing (or `content =`) lambda of a PascalCase call, in a `@Composable` function or
    inside `setContent { … }`; it is composed with its caller."""
    d = site.deferred[i]
    if d.kind != "lambda" or not d.call[:1].isupper() or d.label not in ("", "content") or d.call in NOT_COMPOSABLES:
        return False
    if ctx.index.files[fid.file].language != "kotlin":
        return False
    return "@Composable" in ctx.index.function(fid).modifiers or \
        any(o.call in COMPOSITION_EFFECTS for o in site.deferred[:i])


# A screen's text announcing the permissions it asks for and why ("需要向您申请以下权限", "we need these permissions
# to …") - resource text, not code.
PERMISSION_PAGE_TEXT = re.compile(r"权限.*(用于|用来|以便|为了|需要|目的|申请)|(用于|用来|以便|为了|需要|申请).*权限|"
                                  r"permissions?\b.*\b(to|for|so that|needs?|needed|required|because)\b|"
                                  r"\b(need|needs|requires?|uses?)\b.*\bpermissions?\b", re.IGNORECASE | re.DOTALL)


def _permission_page(ctx: Context, req: PermissionRequest) -> bool:
    """The request's screen is a permission page: a layout its class uses says which permissions the app asks for
    and why ("为了提供…，需要向您申请以下权限：" above the list and the button that makes the request), and the
    request is made from that page's button, after the user read it. A request made as the page opens puts the
    system dialog over the text before anyone read it: not explained."""
    if not on_user_action(ctx, req.fid, req.site):
        return False
    for fid in functions_of(ctx, ctx.index.function(req.fid).owner):
        for site in ctx.index.sites_of(fid):
            for name in layout_names(site):
                if any(PERMISSION_PAGE_TEXT.search(t) for t in layout_texts(ctx, name)):
                    return True
    return False


def _explained(ctx: Context, req: PermissionRequest) -> bool:
    if req.rationale_in_call or _chain_explains(ctx, req):
        return True
    if _permission_page(ctx, req):
        return True
    return _context_explains(ctx, req.fid, req.site, depth=0, seen=set())


def _chain_explains(ctx: Context, req: PermissionRequest) -> bool:
    """PermissionX `.explainReasonBeforeRequest()` / `.onExplainRequestReason { }` and the like, chained to
    the request."""
    prefix = chain_text(f"{req.site.receiver}.{req.site.name}" if req.site.receiver else req.site.name)
    chained = {site.name for site in ctx.index.sites_of(req.fid)
               if site.name in RATIONALE_CALLS and site.deferred == req.site.deferred and
               ((chain_text(site.receiver or "").startswith(prefix) and site.line == req.site.line) or
                site.name in (req.site.receiver or ""))}  # the same chain: it starts on the request's line
    # PermissionX calls `onExplainRequestReason` only after the user denied, unless the chain asks for it first
    # (`explainReasonBeforeRequest()`): the first system dialog comes unexplained.
    return bool(chained - AFTER_DENIAL) or ("explainReasonBeforeRequest" in chained)


def _context_explains(ctx: Context, fid: FnId, at: Site, depth: int, seen: set[FnId]) -> bool:
    """`at` (a request, or a call leading to one) runs after an explanation: from a confirmation button, behind a
    rationale check, after a dialog or purpose text in the same context — here or in a caller."""
    if any(_confirms(d) for d in at.deferred):
        return True
    if depth == 0 and _in_permission_dialog(ctx, fid, at):
        return True
    if any("rationale" in a.text.lower() for g in at.guards for a in g.atoms):
        return True  # a `shouldShowRequestPermissionRationale` / Accompanist `status.shouldShowRationale` branch, or
        #              the app's own flag for it (`if (!request.showRationale) launch()`: the other side explains)
    if any("BUTTON_POSITIVE" in a.text for g in at.guards for a in g.atoms if a.positive):
        return True  # the positive button of a dialog's result callback (`which == BUTTON_POSITIVE`)
    for site in ctx.index.sites_of(fid):
        if site.line > at.line or not _encloses(site.deferred, at.deferred):
            continue
        if _explains(site):
            return True
    if depth >= 2 or fid in seen:
        return False
    seen.add(fid)
    return any(_context_explains(ctx, caller, call, depth + 1, seen) for caller, call in callers(ctx, fid))


def _in_permission_dialog(ctx: Context, fid: FnId, req: Site) -> bool:
    """The request runs in the answer of a dialog the app shows about that permission
    (`PermissionCase.showPreviewDialog(activity, WRITE_EXTERNAL_STORAGE) { ok -> if (ok) request() }`)."""
    asked = {r.rsplit(".", 1)[-1] for a in req.args for r in a.refs if r.rsplit(".", 1)[-1].isupper()}
    for d in req.deferred:
        if "Dialog" not in d.call:
            continue
        for site in ctx.index.sites_of(fid):
            if site.name == d.call and site.line <= d.line <= site.end_line and \
                    any(r.rsplit(".", 1)[-1] in asked for a in site.args if not _is_lambda(a) for r in a.refs):
                return True
    return False


def _is_lambda(arg: Arg) -> bool:
    """A lambda or anonymous class argument (the code the call runs later, not what it is about)."""
    text = arg.text.lstrip()
    return "{" in text or "->" in text


def _confirms(d: Deferred) -> bool:
    if d.call in POSITIVE_CALLS or d.label in CONFIRM_LABELS or CONFIRM_METHOD.match(d.label):
        return True
    if d.supertype.endswith("DialogInterface.OnClickListener") and d.call not in NEGATIVE_CALLS:
        return True  # a dialog button's listener handed to the app's own dialog helper (`showConfirm(v, "Save the
        #              image?", "Save", new DialogInterface.OnClickListener() { … })`): the answer to that dialog
    if answer_setter(d) in CONFIRM_LABELS:
        return True  # `dlg.setOnGrant(() -> launcher.launch(p))`: the Java setter of the explanation dialog's `onGrant`
    label = d.label.lower()
    if label.endswith(("callback", "action", "click", "clicked")) and any(w in label for w in CONFIRM_LABEL_WORDS):
        return True  # `continueYesCallback = { … }` handed to the project's own explanation dialog
    receiver = d.receiver.replace(".", "").lower()
    return is_user_deferred(d) and any(w in receiver for w in CONFIRM_WORDS)


def _encloses(outer: tuple[Deferred, ...], inner: tuple[Deferred, ...]) -> bool:
    """Code in context `outer` runs before (or as part of) the code in context `inner`."""
    return inner[: len(outer)] == outer


def _explains(site: Site) -> bool:
    if site.kind not in ("call", "new", "field"):
        return False
    name = site.name.rsplit(".", 1)[-1]
    if name in RATIONALE_CALLS:
        return name not in AFTER_DENIAL
    if site.kind in ("call", "new") and name in DIALOG_CALLS:
        return name != "Builder" or "Dialog" in f"{site.receiver}.{site.name}"
    if name == "make" and (site.receiver or "").endswith("Snackbar"):
        return True
    if any(any(w in ref.lower() for w in PURPOSE_WORDS) for ref in string_refs(site)):
        return True
    low = name.lower()
    return site.kind == "call" and site.receiver is None and low.startswith(("show", "explain", "display")) and \
        any(w in low for w in PURPOSE_WORDS)


# What a control must be named after for the permission's purpose to be plain from it (lower-case stems of the
# words of its name: a stem of 5 letters or more starts a word, a shorter one is a whole word).
_PHOTO = ("photo", "picture", "pic", "image", "img", "gallery", "album", "avatar", "media")
PURPOSE_WORDS_BY_PERMISSION: dict[str, tuple[str, ...]] = {
    "CAMERA": ("camera", "photo", "picture", "pic", "scan", "scanner", "qr", "qrcode", "barcode", "face", "video",
               "capture", "shoot", "selfie", "拍照", "相机", "扫码", "扫一扫", "人脸"),
    "RECORD_AUDIO": ("audio", "voice", "speech", "speak", "mic", "microphone", "record", "talk", "sound",
                     "语音", "录音", "说话"),
    "ACCESS_FINE_LOCATION": ("location", "locate", "gps", "map", "nearby", "position", "track", "navigat", "route",
                             "定位", "位置", "地图", "附近"),
    "POST_NOTIFICATIONS": ("notification", "notify", "notif", "push", "fcm", "remind", "通知", "推送", "提醒"),
    "BLUETOOTH_SCAN": ("bluetooth", "ble", "pair", "printer", "beacon", "蓝牙", "打印"),
    "READ_CONTACTS": ("contact", "通讯录", "联系人"),
    "CALL_PHONE": ("call", "phone", "dial", "tel", "电话", "拨打", "呼叫"),
    "READ_EXTERNAL_STORAGE": (*_PHOTO, "file", "files", "download", "save", "upload", "attach", "相册", "图片", "保存",
                              "下载", "上传", "文件"),
    "READ_MEDIA_AUDIO": ("music", "audio", "song", "音乐"),
    "READ_CALENDAR": ("calendar", "schedule", "日历", "日程"),
    "SEND_SMS": ("sms", "短信"),
    "ACTIVITY_RECOGNITION": ("step", "steps", "fitness", "workout", "计步", "运动"),
    "BODY_SENSORS": ("heart", "sensor", "health", "心率"),
}
_SAME_PURPOSE = {"ACCESS_COARSE_LOCATION": "ACCESS_FINE_LOCATION", "ACCESS_BACKGROUND_LOCATION": "ACCESS_FINE_LOCATION",
                 "BLUETOOTH_CONNECT": "BLUETOOTH_SCAN", "BLUETOOTH_ADVERTISE": "BLUETOOTH_SCAN",
                 "WRITE_CONTACTS": "READ_CONTACTS", "GET_ACCOUNTS": "READ_CONTACTS",
                 "WRITE_EXTERNAL_STORAGE": "READ_EXTERNAL_STORAGE", "READ_MEDIA_IMAGES": "READ_EXTERNAL_STORAGE",
                 "READ_MEDIA_VIDEO": "READ_EXTERNAL_STORAGE",
                 "READ_MEDIA_VISUAL_USER_SELECTED": "READ_EXTERNAL_STORAGE",
                 "WRITE_CALENDAR": "READ_CALENDAR", "READ_SMS": "SEND_SMS", "RECEIVE_SMS": "SEND_SMS"}


def _control_names_purpose(ctx: Context, req: PermissionRequest) -> bool:
    """Every permission the request asks for is named by the control the user acted on, here or in a caller (two
    levels up): the view a listener is set on (`mTvPressSpeech.setOnTouchListener`, `findViewById(R.id.btn_scan)`),
    the lambda's label (`onToggleNotification = { … }`), the view id a click handler branches on
    (`R.id.iv_camera ->`). A tap on "hold to talk" asking for the microphone shows its purpose; the same request
    from a "next" button does not."""
    if req.unresolved:
        return False
    asked = [perm_short(p) for p in dangerous(ctx, req.permissions)]
    if not asked:
        return False
    words = _control_words(ctx, req.fid, req.site, 0, set())
    return all(_named(words, PURPOSE_WORDS_BY_PERMISSION.get(_SAME_PURPOSE.get(p, p), ())) for p in asked)


def _control_words(ctx: Context, fid: FnId, at: Site, depth: int, seen: set[FnId]) -> set[str]:
    texts = [t for d in at.deferred for t in (d.receiver, d.label)]
    texts += [a.text for g in at.guards for a in g.atoms if "R.id." in a.text and a.positive]
    words = {w for t in texts for w in identifier_words(t)}
    if depth < 2 and fid not in seen:
        seen.add(fid)
        for caller, call in callers(ctx, fid):
            words |= _control_words(ctx, caller, call, depth + 1, seen)
    return words


def _named(words: set[str], stems: tuple[str, ...]) -> bool:
    return any(w == s or (len(s) >= 5 and w.startswith(s)) or (not s.isascii() and s in w)
               for w in words for s in stems)
