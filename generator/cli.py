"""The command line: `zwgk` when installed, `build.py` in this repository (build, check, serve,
import, schema-doc, init).

Every command works on a site folder: its content/, output/ and templates/ (the site's own
templates, laid over the tool's: render.Templates). `zwgk` takes the folder it is run in,
`build.py` this repository; `--site DIR` names another, and `--content`/`--output` still name
either folder on its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import build as pipeline
from . import messages
from .errors import CannotBuild, failure_from

REPORT_LINE_CHARACTERS = 400  # an import's review line quotes the document: cut like a message


class Parser(argparse.ArgumentParser):
    """argparse, whose refusals quote the arguments as messages do: cut, control characters
    named (an argument of escape sequences must not reach the terminal as it is)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {messages.shorten(message, REPORT_LINE_CHARACTERS)}\n")


def positive_number(text: str) -> int:
    """--workers: a whole number from 1 up."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.text("not-a-positive-number", {"text": text}))
    return int(text)


def port_number(text: str) -> int:
    """--port: a TCP port; the server would silently take a number above 65535 modulo 65536."""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(messages.text("not-a-port", {"text": text}))
    return int(text)


def calendar_date(text: str) -> str:
    """--as-of: a day on the calendar, as YYYY-MM-DD in ASCII digits."""
    import datetime

    try:
        if text.isascii() and len(text) == 10:
            return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(messages.text("not-a-date", {"text": text}))


def readable_anywhere() -> None:
    """A terminal that cannot show Chinese (LC_ALL=POSIX) gets escapes, never an UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None, prog: str = "zwgk", site: Path | None = None) -> int:
    """Run one command; `site` is the site folder when --site does not name one (default: the
    current folder)."""
    readable_anywhere()
    parser = Parser(prog=prog, description="把 content/ 中的 YAML 计划生成静态网站。")
    commands = parser.add_subparsers(dest="command")
    build_cmd = commands.add_parser("build", help="生成网站（默认命令）")
    check_cmd = commands.add_parser("check", help="只检查内容，不生成网站")
    serve_cmd = commands.add_parser("serve", help="本地预览：生成、提供网页，保存后自动刷新")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机可访问）")
    serve_cmd.add_argument("--port", type=port_number, default=8000, help="端口 1–65535（默认 8000）")
    commands.add_parser("schema-doc", help="打印内容字段参考（docs/schema.md 由它生成）")
    import_cmd = commands.add_parser("import", help="从 .docx、.xlsx 或 .txt 导入一份计划草稿到 content/plans/，"
                                                    "或用 --report 导入一份进展报告到 content/reports/")
    import_cmd.add_argument("file", type=Path, help="要导入的文件（.docx、.xlsx 或 .txt）")
    import_cmd.add_argument("--report", metavar="PLAN_ID", help="导入的是这份计划的进展报告（落实情况表），写到 content/reports/")
    import_cmd.add_argument("--as-of", type=calendar_date, metavar="YYYY-MM-DD",
                            help="与 --report 同用：报告截至的日期（默认从标题或正文的“截至…”读出）")
    import_cmd.add_argument("--issuer", help="发布机构在登记册中的名称（默认从标题中识别）")
    import_cmd.add_argument("--year", type=positive_number, help="计划的年份（默认从标题中识别）")
    import_cmd.add_argument("--id", dest="plan_id", metavar="ID", help="计划 id（默认为发布机构的登记 id 加年份，如 zs-jrj-2022）；"
                                                         "报告 id（默认为计划 id 加截至日期，如 zs-gxj-2022-2022-11-30）")
    import_cmd.add_argument("--register", action="store_true",
                            help="发布机构或文中的单位还没有登记时，同时写出登记册草稿（content/registry/ 下的新文件）")
    import_cmd.add_argument("--parent", help="与 --register 同用：新登记的发布机构的上级机关（登记册中的名称）")
    init_cmd = commands.add_parser("init", help="新建一个网站目录：内容、登记册、一份示例计划和编辑说明")
    init_cmd.add_argument("folder", type=Path, help="新网站的目录（不存在或为空）")
    init_cmd.add_argument("--issuer", required=True, help="发布机构的全称，如 中山市财政局")
    init_cmd.add_argument("--parent", help="发布机构的上级机关，如 中山市人民政府（默认按名称中的地名猜）")
    for command in (build_cmd, check_cmd, serve_cmd, import_cmd):
        command.add_argument("--site", type=Path, help="网站目录（默认当前目录）：其中的 content/、output/ 和 templates/")
        command.add_argument("--content", type=Path, help="内容目录（默认 网站目录/content/）")
    build_cmd.add_argument("--output", type=Path, help="输出目录（默认 网站目录/output/）")
    build_cmd.add_argument("--workers", type=positive_number, default=None,
                           help="同时工作的进程数（默认每个 CPU 一个；1 = 不用子进程）")
    build_cmd.add_argument("--precompress", action="store_true",
                           help="在每个较大的文本文件旁另存 .gz 压缩副本，供 nginx 的 gzip_static 等直接发送")
    build_cmd.add_argument("--timings", action="store_true", help="生成后列出各阶段用时")
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["build", *(argv or sys.argv[1:])])
    folder = getattr(args, "site", None) or site or Path.cwd()
    if getattr(args, "content", "") is None:
        args.content = folder / "content"
    if getattr(args, "output", "") is None:
        args.output = folder / "output"

    try:
        return run(args)
    except KeyboardInterrupt:
        print(messages.text("interrupted"), file=sys.stderr)
        return 130
    except CannotBuild as error:
        print(error, file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - every failure ends in a message (generator/errors.py)
        failure = failure_from(error)
        # An import builds nothing: its messages alone, without the build's closing line.
        print("\n".join(map(str, failure.errors)) if args.command == "import" else failure.report(), file=sys.stderr)
        return 1


def import_report(args) -> int:
    """build.py import FILE --report PLAN_ID: a progress report, written to content/reports/."""
    from .importer.progress_report import import_report as read_report

    if args.report is None:
        raise CannotBuild("as-of-without-report")
    given = [option for option, value in (("--issuer", args.issuer), ("--year", args.year), ("--register", args.register),
                                          ("--parent", args.parent)) if value]
    if given:
        raise CannotBuild("report-options", options=given)
    imported = read_report(args.file, args.content, args.report, as_of=args.as_of, report_id=args.plan_id)
    draft = imported.draft
    print(f"已导入进展报告 {messages.shown_path(imported.path)}：计划 {draft.plan.id} 的 {len(draft.entries)} 项措施"
          f"（共 {len(draft.plan.measures)} 项），{draft.kind}，截至 {draft.as_of}，读了 {imported.rows} 行"
          f"（{imported.seconds:.2f} 秒）（report import OK）")
    if imported.empty:
        print(f"其中 {imported.empty} 行对应到了措施，但没有填写落实情况，没有记入（rows without 落实情况）")
    print("这份报告没有标为草稿（draft）：build.py build 会直接发布它；要先只在 build.py serve 中查看，"
          "在文件中加一行 draft: true（published by build unless marked draft）")
    print_review(imported, "报告")
    return 0


def print_review(imported, what: str) -> None:
    """The places an import marked for review, grouped by kind (importer/report.py)."""
    if imported.report:
        print(f"需要核对 {imported.places} 处（review），按类别，最要紧的在前；"
              f"全部列在{what}的“# 待核”注释中，也可在 build.py serve 的 /__serve__/imports 页查看：")
        print("\n".join(messages.shorten(line, REPORT_LINE_CHARACTERS) for line in imported.report))
    else:
        print("没有发现需要特别核对的地方；请仍然逐条对照原文核对。")


def run(args) -> int:
    if args.command == "init":
        from .init import new_site

        made = new_site(args.folder, args.issuer, args.parent)
        print(f"已新建网站 {messages.shown_path(args.folder)}：{len(made)} 个文件（site created）")
        print(f"下一步：cd {messages.shown_path(args.folder)}，然后 zwgk serve 预览，zwgk build 生成；"
              "说明见其中的 README.md")
        return 0
    if args.command == "serve":
        from .serve import serve

        return serve(args.content, args.host, args.port)
    if args.command == "import" and (args.report is not None or args.as_of is not None):
        return import_report(args)
    if args.command == "import":
        from .importer import import_file

        imported = import_file(args.file, args.content, issuer=args.issuer, year=args.year, plan_id=args.plan_id,
                               register=args.register, parent=args.parent)
        for path in imported.registered:
            print(f"已写出登记册草稿 {messages.shown_path(path)}：其中的名称、上级和简称是按文件猜的，"
                  "请逐条核对“待核”注释（registry draft）")
        print(f"已导入 {messages.shown_path(imported.path)}：{len(imported.plan.sections)} 个部分，{imported.measures} 项措施，"
              f"草稿 draft: true（{imported.seconds:.2f} 秒）（import OK）")
        print_review(imported, "草稿")
        return 0
    if args.command == "schema-doc":
        from .schema_doc import reference

        sys.stdout.write(reference())
        return 0
    if args.command == "check":
        content = pipeline.check(args.content)
        measures = sum(len(plan.measures) for plan in content.plans)
        print(f"内容无误：{len(content.plans)} 份计划，{measures} 项措施（content OK）")
    else:
        timings: dict = {}
        notices: list = []
        files = pipeline.build(args.content, args.output, workers=args.workers, timings=timings, notices=notices,
                               precompress=args.precompress)
        print(f"已生成 {len(files)} 个文件到 {messages.shown_path(args.output)}（build OK）")
        for notice in notices:
            print(f"提示：{notice}")
        if args.timings:
            print("用时（秒）：" + "，".join(f"{stage} {seconds:.2f}" for stage, seconds in timings.items()))
    return 0


def entry() -> None:
    """The `zwgk` command (pyproject.toml)."""
    sys.exit(main())
