"""Command-line entry point. Parses arguments only; every command is a function returning an exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipl_lint import __version__, exitcodes

app = typer.Typer(
    name="pipl-lint",
    help="Find personal-information-protection problems in Android apps (PIPL, MIIT, Google Play) "
         "before they are committed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich imports more than the command itself needs
    context_settings={"help_option_names": ["-h", "--help"]},
)


FORMAT_HELP = "text, json, sarif, github, gitlab, checkstyle, grouped or concise"
FORMAT_ALIASES = {"md": "markdown"}


def _format_alias(value: str) -> str:
    """`--format md` is `--format markdown` (for every command that has a markdown format)."""
    return FORMAT_ALIASES.get(value, value)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"pipl-lint {__version__}\n")
        raise typer.Exit(exitcodes.OK)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """pipl-lint: a static linter and pre-commit hook for personal-information protection in Android apps."""


def _run(fn: object, *args: object, **kwargs: object) -> None:
    from pipl_lint.errors import UsageError

    try:
        code = fn(*args, **kwargs)  # type: ignore[operator]
    except UsageError as exc:
        sys.stderr.write(f"pipl-lint: error: {exc}\n")
        code = exitcodes.ERROR
    except KeyboardInterrupt:
        sys.stderr.write("pipl-lint: interrupted\n")
        code = exitcodes.ERROR
    except Exception as exc:
        if os.environ.get("PIPL_LINT_DEBUG"):
            raise
        sys.stderr.write(f"pipl-lint: internal error: {type(exc).__name__}: {exc} "
                         "(set PIPL_LINT_DEBUG=1 for the traceback)\n")
        code = exitcodes.ERROR
    raise typer.Exit(code)


@app.command(short_help="Check the Android projects under PATHS.")
def check(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the current folder).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rules/categories.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules/categories.")] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", help="error, warning or info (default error).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Use this pipl-lint.toml.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the findings.")] = False,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Report only findings not in this baseline "
                                                  "file (see `pipl-lint baseline`).")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the safe fixes, then report what is left.")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="With --fix or --diff: also the fixes "
                                               "that change behaviour.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show the fixes as a unified diff; change nothing "
                                       "(exit 1 when there are fixes).")] = False,
    diff_base: Annotated[str | None, typer.Option("--diff-base", metavar="REV", help="Only findings new since "
                                                  "the merge base with git revision REV (for pull requests).")] = None,
    show_unused_suppressions: Annotated[bool, typer.Option(
        "--show-unused-suppressions", help="List suppressions that hid nothing (on stderr).")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="Message language: zh or en (default: the locale).")]
    = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="Progress on stderr "
                                                  "(default: when stderr is a terminal).")] = None,
    staged: Annotated[bool, typer.Option("--staged", help="pre-commit mode: PATHS are the staged files; also "
                                         "report what staged deletions and renames break (findings new since "
                                         "HEAD in their projects). Nothing staged: nothing analysed.")] = False,
    variant: Annotated[list[str] | None, typer.Option("--variant", metavar="NAME", help="Analyse this build "
                                                      "variant (or every shipped variant of this flavour or build "
                                                      "type); repeatable (default: every non-debug variant).")]
    = None,
) -> None:
    """Check the Android projects under PATHS."""
    from pipl_lint.commands.check import CheckOptions, run_check

    opts = CheckOptions(tuple(paths or ()), format, output, tuple(select or ()), tuple(ignore or ()), fail_on,
                        config, no_cache, quiet, baseline=baseline, fix=fix, unsafe_fixes=unsafe_fixes, diff=diff,
                        diff_base=diff_base, show_unused_suppressions=show_unused_suppressions, progress=progress,
                        lang=lang, staged=staged,
                        variants=tuple(variant or ()))
    _run(run_check, opts)


@app.command("baseline", short_help="Write the current findings to a baseline file.")
def baseline_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Folders (default: the current folder).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The baseline file to write.")] = Path(
        "pipl-lint-baseline.json"),
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rules/categories.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules/categories.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Use this pipl-lint.toml.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
) -> None:
    """Write the current findings to a baseline file, so that `check --baseline FILE` reports only new ones."""
    from pipl_lint.commands.baseline import run_baseline
    from pipl_lint.commands.check import CheckOptions

    opts = CheckOptions(tuple(paths or ()), "text", None, tuple(select or ()), tuple(ignore or ()), None, config,
                        no_cache, False)
    _run(run_baseline, opts, output)


@app.command(short_help="Compliance report: PI collected, SDKs, permissions (--sdk: SDK sheet).")
def report(
    paths: Annotated[list[Path] | None, typer.Argument(help="Folders (default: the current folder).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json, markdown (md), html or csv",
                                        callback=_format_alias)] = "markdown",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en (default: the locale).")] = None,
    app_category: Annotated[str | None, typer.Option("--app-category", help="The app's type among the 39 "
                                                     "(number, key or Chinese name); overrides the config.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Use this pipl-lint.toml.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    sdk: Annotated[bool, typer.Option("--sdk", help="The disclosure sheet of the SDK modules (json, markdown or "
                                      "html) that host apps copy into their third-party SDK list.")] = False,
) -> None:
    """Compliance report: personal information collected, third-party SDKs and permissions, from the code."""
    from pipl_lint.commands.report import ReportOptions, run_report

    opts = ReportOptions(tuple(paths or ()), format, output, lang, config, app_category, no_cache, sdk)
    _run(run_report, opts)


@app.command(short_help="Run the language server on stdin/stdout (needs pipl-lint[lsp]).")
def server() -> None:
    """Run the language server on stdin/stdout (for editors; needs `pip install 'pipl-lint[lsp]'`)."""
    from pipl_lint.server import run_server

    _run(run_server)


@app.command(short_help="List every rule.")
def rules(
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or markdown (md)",
                                        callback=_format_alias)] = "text",
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en (default: the locale).")] = None,
) -> None:
    """List every rule."""
    from pipl_lint.commands.rules import run_rules

    _run(run_rules, format, lang)


@app.command(short_help="Explain a rule: what, why, how to fix, references.")
def explain(
    rule: Annotated[str, typer.Argument(help="Rule id or name.")],
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en (default: the locale).")] = None,
) -> None:
    """Explain a rule: what it detects, why, how to fix it, and what it cannot see."""
    from pipl_lint.commands.explain import run_explain

    _run(run_explain, rule, lang)


try:  # typer >= 0.22 carries its own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer uses click itself
    from click.exceptions import ClickException  # type: ignore[no-redef]


def _usage_error(exc: ClickException) -> int:
    """A command-line mistake (unknown command or option, missing argument) as one line, like every other usage
    error, instead of typer's box; `pipl-lint` alone shows the help."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        sys.stderr.write(exc.format_message())
        return exitcodes.ERROR
    message = " ".join(exc.format_message().split()).removesuffix(".")
    more = f" (see `{ctx.command_path} -h`)" if ctx is not None else ""
    sys.stderr.write(f"pipl-lint: error: {message}{more}\n")
    return exitcodes.ERROR


def main() -> None:
    try:
        code = app(standalone_mode=False, prog_name="pipl-lint")
    except ClickException as exc:
        code = _usage_error(exc)
    except typer.Abort:
        sys.stderr.write("pipl-lint: interrupted\n")
        code = exitcodes.ERROR
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int) or code not in (0, 1, 2):
        code = exitcodes.ERROR if code else exitcodes.OK
    raise SystemExit(code)


if __name__ == "__main__":
    main()
