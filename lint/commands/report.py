"""`pipl-lint report`: the compliance inventory of the projects under PATHS — personal information collected,
third-party SDKs, permissions — as JSON, Markdown, HTML or CSV; with `--sdk`, the disclosure sheet of the SDK
modules (see docs/reports.md).

Exit codes: 0 when the report was written, 2 on a usage or internal error. Findings never change the exit code:
`pipl-lint check` is the gate, this is documentation.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from pipl_lint import exitcodes, i18n
from pipl_lint.compliance import FORMATS, renderer
from pipl_lint.compliance.inventory import Inventory, build_inventory, merge, with_disclosure
from pipl_lint.errors import UsageError
from pipl_lint.io import write_text
from pipl_lint.ruleapi import Context


@dataclass(frozen=True, slots=True)
class ReportOptions:
    paths: tuple[Path, ...] = ()
    format: str = "markdown"
    output: Path | None = None
    lang: str | None = None  # None: from the locale
    config: Path | None = None
    app_category: str | None = None  # overrides `app-category` of the configuration
    no_cache: bool = False
    sdk: bool = False  # the SDK disclosure sheet of the SDK modules (compliance/sdk_sheet.py) instead


def inventory_of(ctx: Context) -> Inventory:
    """One project's inventory, with the `disclosed` columns filled in when a privacy policy is found."""
    from pipl_lint.rules.disclosure._common import kind_mention, policy, sdk_mentioned

    pol = policy(ctx)
    inv = build_inventory(ctx, pol.paths if pol else ())
    if pol is None:
        return inv
    present = [ctx.catalog.sdk(i) for i in inv.sdk_ids()]
    project = inv.projects[0]
    sdks = {(project, sdk.id): sdk_mentioned(pol, sdk, present) for sdk in present}
    kinds = {(project, k): kind_mention(pol, ctx.catalog.pi_kinds[k]) == "yes" for k in inv.pi_kinds()}
    return with_disclosure(inv, sdks, kinds)


def _contexts(opts: ReportOptions) -> list[Context]:
    from pipl_lint.commands.check import CheckOptions, nothing_analysed, prepare, run_engine

    check_opts = CheckOptions(paths=opts.paths, format="json", config=opts.config, no_cache=opts.no_cache)
    setup = prepare(check_opts)
    setup = replace(setup, config=setup.config.with_overrides(app_category=opts.app_category), rules=(), only=None,
                    configs=setup.configs.with_overrides(app_category=opts.app_category), rules_for=lambda _c: ())
    result = run_engine(setup, check_opts, keep_contexts=True)
    nothing = nothing_analysed(setup.paths, result)
    if nothing is not None:  # an empty inventory is no report: exit 2 with the same line as `check`
        raise UsageError(nothing[0])
    unread = {d.path for d in result.diagnostics}
    if unread:
        sys.stderr.write(f"pipl-lint: {len(unread)} file(s) could not be read or parsed completely; the report may "
                         "miss what they contain (`pipl-lint check` lists them)\n")
    return list(result.contexts)


def build(opts: ReportOptions) -> Inventory:
    return merge(inventory_of(ctx) for ctx in _contexts(opts))


def build_sdk_sheet(opts: ReportOptions, lang: str) -> str:
    from pipl_lint.compliance.sdk_sheet import SDK_FORMATS, build_sheets, render

    if opts.format not in SDK_FORMATS:
        raise UsageError(f"report --sdk writes {', '.join(SDK_FORMATS)}, not {opts.format!r}")
    sheets = [sheet for ctx in _contexts(opts) for sheet in build_sheets(ctx)]
    if not sheets:
        raise UsageError("no SDK module found: a published library module (maven-publish, com.vanniktech.maven."
                         "publish, a publishing block, POM_ARTIFACT_ID) or one `sdk-modules` names")
    return render(sheets, opts.format, lang)


def run_report(opts: ReportOptions) -> int:
    if opts.format not in FORMATS:
        raise UsageError(f"unknown report format {opts.format!r} (choose from {', '.join(FORMATS)})")
    try:
        lang = i18n.parse_language(opts.lang)  # None: from the locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if opts.app_category is not None:
        from pipl_lint.config import unknown_app_category

        if problem := unknown_app_category(opts.app_category):
            raise UsageError(f"--app-category: {problem}")
    text = build_sdk_sheet(opts, lang) if opts.sdk else renderer(opts.format)(build(opts), lang)
    if opts.output is not None:
        write_text(opts.output, text)
    else:
        sys.stdout.write(text)
    return exitcodes.OK
