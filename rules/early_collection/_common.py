"""Shared wording for the early-collection rules."""

from __future__ import annotations

from pipl_lint.model.consent import SiteState
from pipl_lint.model.reach import Reached

GENERIC_FIX = ("Run it only after consent: in the privacy dialog's agree callback, behind your stored-consent "
               "check (`if (PrivacyStore.isAgreed(ctx))`), or when the user opens the feature that needs it")

KIND_FIX = {
    "device-id": "Do not read hardware identifiers (IMEI/MEID/IMSI/ICCID/serial): they are unavailable to "
                 "normal apps from Android 10 and regulators treat any attempt as collection. Use an "
                 "app-scoped random UUID, or OAID after consent",
    "mac-address": "Do not read MAC addresses; use an app-scoped random UUID",
    "android-id": "Read ANDROID_ID only after consent, or replace it with an app-scoped random UUID",
    "advertising-id": "Read the advertising ID / OAID only after consent and respect the user's opt-out",
    "installed-apps": "Do not enumerate installed apps; query only the package you need (declared in "
                      "<queries>) and only after consent",
    "running-apps": "Do not list running apps or tasks; it is not needed by normal apps",
    "app-usage": "Query usage statistics only in the feature that needs them, after consent",
    "location": "Request and read location only after consent, when the user opens the feature that needs it",
    "wifi-info": "Read Wi-Fi details only after consent, in the feature that needs them",
    "cell-info": "Read cell information only after consent, in the feature that needs it",
    "phone-number": "Do not read the phone number; ask the user to type it and verify it by SMS code",
}


def fix_for_kind(kind: str | None) -> str:
    specific = KIND_FIX.get(kind or "")
    return f"{specific}. {GENERIC_FIX}." if specific else f"{GENERIC_FIX}."


def path_notes(reached: Reached, state: SiteState) -> str:
    """`; inside `if (isMainProcess())` (not a consent check)` — why a guard did not help."""
    notes = list(dict.fromkeys((*reached.notes, *state.notes)))
    return ("; " + "; ".join(notes[:2])) if notes else ""


def app_meta_data(ctx: object) -> dict[str, tuple[str | None, object]]:
    """`<meta-data>` under `<application>` in the app modules' manifests, except debug/test variants:
    name -> (value, element). The main manifest wins over flavour manifests."""
    out: dict[str, tuple[str | None, object]] = {}
    for m in sorted(ctx.app_manifests(), key=lambda m: "/src/main/" not in f"/{m.path}"):
        if "/src/debug/" in f"/{m.path}" or "/src/test" in f"/{m.path}":
            continue
        for md in m.meta_data():
            if md.tools_node == "remove":
                continue
            out.setdefault(md.name, (md.value if md.value is not None else md.resource, md.element))
    return out


def removed_components(ctx: object) -> set[str]:
    """Components the app removes from the merged manifest with `tools:node="remove"`."""
    out: set[str] = set()
    for m in ctx.app_manifests():
        for c in m.components:
            if c.removed:
                out.add(c.cls)
    return out


def main_application(ctx: object) -> tuple[object, object] | None:
    """(manifest, <application> element) of the first app module's main manifest."""
    manifests = sorted(ctx.app_manifests(), key=lambda m: "/src/main/" not in f"/{m.path}")
    for m in manifests:
        if m.application is not None and "/src/debug/" not in f"/{m.path}":
            return m, m.application.element
    return None
