"""The ``briefing`` command: one subcommand a pipeline entry point."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .findings import BriefingError, Report


def _print_report(report: Report, style: str = "text") -> None:
    text = report.format(style)
    if text:
        print(text, file=sys.stdout if style == "json" else sys.stderr)
    if style == "text" and len(report):
        print(report.summary(), file=sys.stderr)


def _use_snapshots(args: argparse.Namespace) -> None:
    """``--snapshots DIR`` holds for this process and the processes a build starts, as BRIEFING_SNAPSHOTS does."""
    import os

    from .check.snapshots import ENV

    if getattr(args, "snapshots", None):
        os.environ[ENV] = str(Path(args.snapshots).resolve())


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import check_project

    _use_snapshots(args)

    fb = check_project(args.root)
    if getattr(args, "online", False):
        from .check.online import check_online

        check_online(fb, timeout=args.timeout)
    _print_report(fb.report, args.format)
    if fb.report.failed(args.strict):
        return 1
    if args.format == "text":
        print(f"{len(fb.facts)} facts, {len(fb.sources)} sources, {len(fb.reviews)} reviews checked", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .site.publish import build_site

    _use_snapshots(args)
    report = build_site(args.root, strict=args.strict, pdf=not args.no_pdf)
    _print_report(report)
    return 1 if report.failed(args.strict) else 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from .collector import collector_paused

    with collector_paused():  # a short process that keeps what it makes to the end
        from .export.pdf import export_pdfs

        report = export_pdfs(args.root, out_dir=args.out, only=args.only or None)
    _print_report(report)
    return 1 if report.failed() else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .site.publish import serve_site

    serve_site(args.root, dev_addr=args.dev_addr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .records.schema import write_schemas

    for path in write_schemas(args.out or (args.root / "build_scripts" / "schema")):
        print(path, file=sys.stderr)
    return 0


def cmd_source_add(args: argparse.Namespace) -> int:
    from .edit.source_add import add_source
    from .settings import load_settings

    snapshot_hash, path = add_source(args.root, args.id, args.target, args.snapshots, load_settings(args.root).snapshots)
    print(f"source {args.id!r}: snapshot {snapshot_hash} stored as {path}", file=sys.stderr)
    return 0


def cmd_sources_audit(args: argparse.Namespace) -> int:
    from .check.audit import format_audit
    from .pipeline import check_project

    _use_snapshots(args)
    fb = check_project(args.root)
    if fb.report.errors and fb.audit is None:
        _print_report(fb.report)
        return 1
    text = format_audit(fb, args.format)
    sys.stdout.write(text)
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from .edit.fmt import run
    from .settings import load_settings

    return run(args.root, [Path(p) for p in args.paths], check=args.check, facts_dir=load_settings(args.root).facts_dir)


def cmd_diff(args: argparse.Namespace) -> int:
    from .history.diff import diff_revisions, format_markdown, format_text

    diff = diff_revisions(args.root, args.base, args.head, merge_base=args.merge_base)
    text = format_markdown(diff) if args.format == "markdown" else format_text(diff)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``briefing``."""
    return _parser_and_commands()[0]


def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """Each command's own parser, by the command's words (``"check"``, ``"source add"``): the README's
    command table is checked against these."""
    return _parser_and_commands()[1]


def _snapshots_option(parser: argparse.ArgumentParser) -> None:
    """The snapshot folder option, the same on every command that reads the sources' texts."""
    parser.add_argument(
        "--snapshots", metavar="DIR", default=None, help="folder of the source snapshots (default: $BRIEFING_SNAPSHOTS, then [tool.briefing] snapshots)"
    )


def _parser_and_commands() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(prog="briefing", description="Fact-checked briefing site generator.")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder holding facts/ (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="load, validate and cross-check every record")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--format", choices=["text", "github", "json"], default="text", help="output style of findings")
    check.add_argument("--online", action="store_true", help="also request every source's url and archive_url (HEAD, then GET)")
    check.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each source with --online (default: 10)")
    _snapshots_option(check)
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="check, render and build the site into site/ with the PDFs")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--no-pdf", action="store_true", help="skip the PDF briefings")
    _snapshots_option(build)
    build.set_defaults(func=cmd_build)

    source = sub.add_parser("source", help="store a source's text as a snapshot")
    source_sub = source.add_subparsers(dest="source_command", required=True, metavar="SUBCOMMAND")
    add = source_sub.add_parser("add", help="store the text of FILE (or of the page at URL, fetched now) as the snapshot of source ID")
    add.add_argument("id", metavar="ID", help="id of the source record in sources.yaml")
    add.add_argument("target", metavar="FILE|URL", help="a text or HTML file, or an http(s) address to fetch")
    _snapshots_option(add)
    add.set_defaults(func=cmd_source_add)

    sources = sub.add_parser("sources", help="work on the source snapshots")
    sources_sub = sources.add_subparsers(dest="sources_command", required=True, metavar="SUBCOMMAND")
    audit = sources_sub.add_parser("audit", help="account for every figure in every snapshot: cited, agreeing, contradicting or unrelated")
    audit.add_argument("--format", choices=["text", "json"], default="text", help="plain text or JSON")
    _snapshots_option(audit)
    audit.set_defaults(func=cmd_sources_audit)

    serve = sub.add_parser("serve", help="live preview, reloading when facts or templates change")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.set_defaults(func=cmd_serve)

    pdf = sub.add_parser("pdf", help="write the PDF briefings alone")
    pdf.add_argument("--out", type=Path, default=None, help="output folder (default: site/pdf)")
    pdf.add_argument(
        "--only", action="append", metavar="FILE",
        help="write only this PDF (repeatable), e.g. --only briefing.pdf for the full briefing",
    )
    pdf.set_defaults(func=cmd_pdf)

    schema = sub.add_parser("schema", help="write the JSON Schema of the records")
    schema.add_argument("--out", type=Path, default=None, help="output folder (default: build_scripts/schema)")
    schema.set_defaults(func=cmd_schema)

    fmt = sub.add_parser("fmt", help="put fact files into canonical form (comments, quotes and key order kept)")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 naming the files that would change")
    fmt.add_argument("paths", nargs="*", help="files or folders to format (default: every file of facts/)")
    fmt.set_defaults(func=cmd_fmt)

    diff = sub.add_parser("diff", help="fact-level changelog between two git revisions")
    diff.add_argument("base", metavar="BASE", help="revision to compare from (e.g. origin/main)")
    diff.add_argument("head", metavar="HEAD", nargs="?", default=None, help="revision to compare to (default: the working tree, uncommitted edits included)")
    diff.add_argument("--format", choices=["text", "markdown"], default="text", help="plain text, or Markdown for a pull-request comment")
    diff.add_argument("--merge-base", action="store_true", help="compare from where HEAD branched off BASE (what a pull request changes)")
    diff.add_argument("--out", type=Path, default=None, help="write to this file instead of standard output")
    diff.set_defaults(func=cmd_diff)

    commands = {
        "check": check, "build": build, "source add": add, "sources audit": audit, "serve": serve, "pdf": pdf,
        "schema": schema, "fmt": fmt, "diff": diff,
    }  # fmt: skip
    for p in commands.values():
        p.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="project folder (default: current folder)")
    return parser, commands


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``briefing`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.func(args)
    except BriefingError as exc:
        _print_report(exc.report)
        print(f"briefing: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
