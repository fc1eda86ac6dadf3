"""`CAMERA` is declared, but the app only takes photos through the camera app or a delegated scanner.

## What it does
Reports `CAMERA` when the project's only camera features hand the capture to another app —
`MediaStore.ACTION_IMAGE_CAPTURE` / `ACTION_VIDEO_CAPTURE` (constants or their strings),
`ActivityResultContracts.TakePicture` / `TakePicturePreview` / `CaptureVideo`, or the Google code scanner
(`GmsBarcodeScanning`) — and nothing opens the camera itself (`Camera.open`, `CameraManager.openCamera`,
CameraX `bindToLifecycle`, `MediaRecorder.setVideoSource`, in-app scanners, WebView camera grants) and no
catalogued SDK needs it. Requests and checks of `CAMERA` do not count: they exist only because of the
declaration.

## Why is this bad?
The capture intent needs no permission: the camera app takes the picture on the user's own action. Declaring
`CAMERA` changes that — "if your app targets M and above and declares as using the CAMERA permission which is
not granted, then attempting to use this action will result in a SecurityException" (MediaStore reference) —
so the app must ask for a camera permission it never uses — a permission unrelated to its functions
(191号文 四.1, 337号 (7)).

## Example
```xml
<uses-permission android:name="android.permission.CAMERA" />
```
```java
cameraPermissionLauncher.launch(Manifest.permission.CAMERA);   // only to make the intent below work
startActivityForResult(new Intent(MediaStore.ACTION_IMAGE_CAPTURE), REQ_PHOTO);
```

## Use instead
```kotlin
val takePicture = registerForActivityResult(ActivityResultContracts.TakePicture()) { saved -> … }
takePicture.launch(photoUri)          // no CAMERA declaration, no permission dialog
```

## Fix safety
No automatic fix: the `CAMERA` request and checks must be removed together with the declaration.

## Limitations
Camera use inside uncatalogued libraries (a custom scanner, an AR SDK) is invisible; suppress with the reason
if one needs `CAMERA`. A library that merges `CAMERA` must be overridden with `tools:node="remove"`.

## References
- 191号文 四.1
- 337号 (7) 过度索取权限
- Android `MediaStore.ACTION_IMAGE_CAPTURE` reference
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    CAMERA,
    capture_only,
    declaration_finding,
    fix_text,
    merged_note,
    say,
    where,
)

META = RuleMeta(
    id="EP207",
    name="camera-for-capture-intent-only",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.INFO,
    summary="CAMERA is declared although the app only captures through the camera app's intent",
    fix="Remove CAMERA and its request; keep launching ACTION_IMAGE_CAPTURE (ActivityResultContracts.TakePicture)",
    references=("191号文 四.1", "337号 (7)", "MediaStore.ACTION_IMAGE_CAPTURE reference"),
    messages={
        "capture-only": "`CAMERA` is only used through {uses}, which needs no permission; declaring `CAMERA` makes it "
                        "throw `SecurityException` until the user grants the camera",
    },
    fixes={
        "remove": "Remove the `CAMERA` declaration and its runtime request; keep launching the capture intent "
                  "(`ActivityResultContracts.TakePicture`).{merged}",
    },
)

NAME = CAMERA


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    decls = usage.declared(NAME)
    if not decls:
        return
    delegates = capture_only(ctx)
    if not delegates:
        return  # the camera is opened in the app or by an SDK, or nothing uses it at all
    message = say(ctx, META, "capture-only", uses=where(delegates))
    fix = fix_text(ctx, META, "remove", merged=merged_note(usage, NAME))
    for decl in decls:
        yield declaration_finding(ctx, META, decl, message, fix=fix)
