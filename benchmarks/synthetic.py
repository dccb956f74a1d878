"""Make a synthetic, schema-valid content folder of many plans, for benchmarks.

Usage: .venv/bin/python benchmarks/synthetic.py OUT_DIR [--plans 200] [--measures 30] [--seed 1] [--reports 0]

Sentences are drawn from the shipped plans, so the text has the vocabulary and length of real
measures. As in real life, each body publishes one plan a year: the corpus has one synthetic
bureau (with eight sections) per ten plans, registered beside the shipped registry, and each
plan names its issuer's sections and a few city bureaus. Most measures have a deadline (a month,
two milestones or every quarter).

With `--reports N` each plan also gets N progress reports (content/reports/<plan>-r<k>.yaml), as
of days spread through the plan's year, the last a 年度总结: each speaks of about two measures in
three, more of them done as the year goes on, some with no state word, and about one in six per
unit (each of the measure's units its own line). Plans and their text are the same with or
without reports (reports and deadlines draw from random streams of their own), so the two
corpora differ by the reports alone.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's writer is five times faster

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import content as content_stage  # noqa: E402

NUMERALS = "一二三四五六七八九十"
SECTION_NAMES = ["办公室", "综合科", "政策法规科", "财务科", "信息科", "规划科", "监督科", "服务科"]
PLANS_PER_BODY = 10


def sentences(content) -> list[str]:
    found = []
    for plan in content.plans:
        for measure in plan.measures:
            found += [s + "。" for s in re.split(r"[。\n]", measure.text) if len(s) > 6]
    return sorted(set(found))


def make_corpus(out: Path, plans: int = 200, measures_per_plan: int = 30, seed: int = 1, reports: int = 0) -> Path:
    shipped = content_stage.load(ROOT / "content")
    pool = sentences(shipped)
    rng = random.Random(seed)
    deadline_rng = random.Random(seed * 1_000 + 1)
    report_rng = random.Random(seed * 1_000 + 2)
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
    if reports:
        (out / "reports").mkdir()
    shutil.copytree(ROOT / "content" / "registry", out / "registry")
    shutil.copy(ROOT / "content" / "site.yaml", out / "site.yaml")
    bodies = [f"中山市合成第{number + 1}局" for number in range((plans + PLANS_PER_BODY - 1) // PLANS_PER_BODY)]
    registry = {"parent": "zhongshan", "units": [
        {"id": f"syn-{number + 1}", "name": name, "kind": "department",
         "children": [{"name": section, "kind": "section"} for section in SECTION_NAMES]}
        for number, name in enumerate(bodies)]}
    (out / "registry" / "synthetic.yaml").write_text(
        yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    city_bureaus = [unit.aliases[0] for unit in shipped.units
                    if unit.parent is not None and unit.parent.id == "zhongshan" and unit.aliases]
    sections_per_plan, points_per_section = 5, 2
    per_point = max(1, measures_per_plan // (sections_per_plan * points_per_section))
    for number in range(plans):
        issuer = bodies[number // PLANS_PER_BODY]
        year = 2013 + number % PLANS_PER_BODY
        sections_of_issuer = SECTION_NAMES + [rng.choice(city_bureaus)]
        sections = []
        for s in range(sections_per_plan):
            points = []
            for p in range(points_per_section):
                measures = []
                for m in range(per_point):
                    leads = rng.sample(sections_of_issuer, k=min(2, len(sections_of_issuer)))
                    measures.append({
                        "label": f"{m + 1}.",
                        "text": "".join(rng.sample(pool, k=2)),
                        "responsibility": {"lead": leads[0], "support": leads[1:] or None},
                        "status": {"text": rng.choice(pool)} if number % 2 else None,
                    })
                    measures[-1]["responsibility"] = {k: v for k, v in measures[-1]["responsibility"].items() if v}
                    measures[-1]["deadline"] = _deadline(deadline_rng, year)
                    measures[-1] = {k: v for k, v in measures[-1].items() if v is not None}
                points.append({"label": f"（{NUMERALS[p]}）", "title": rng.choice(pool), "measures": measures})
            sections.append({"label": f"{NUMERALS[s]}、", "title": rng.choice(pool)[:20], "points": points})
        plan = {
            "id": f"synthetic-{number:05d}",
            "title": f"{issuer}{2013 + number % PLANS_PER_BODY}年政务公开工作要点分工方案",
            "issuer": issuer,
            "kind": "分工方案",
            "year": year,
            "sections": sections,
        }
        text = "# yaml-language-server: $schema=../../schema/plan.schema.json\n" + yaml.dump(
            plan, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
        (out / "plans" / f"{plan['id']}.yaml").write_text(text, encoding="utf-8")
        for index in range(reports):
            report = _report(report_rng, pool, plan, index, reports)
            text = "# yaml-language-server: $schema=../../schema/report.schema.json\n" + yaml.dump(
                report, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
            (out / "reports" / f"{plan['id']}-r{index + 1}.yaml").write_text(text, encoding="utf-8")
    return out


def _deadline(rng: random.Random, year: int) -> dict | None:
    """About one measure in five has no deadline; the others a month, two milestones or every quarter."""
    kind = rng.random()
    month = rng.randint(3, 12)
    if kind < 0.2:
        return None
    if kind < 0.7:
        return {"text": f"{year}年{month}月底前", "date": f"{year:04d}-{month:02d}"}
    if kind < 0.85:
        first = rng.randint(2, month - 1)
        return {"text": f"{year}年{first}月完成方案，{year}年{month}月底前完成", "milestones": [
            {"date": f"{year:04d}-{first:02d}", "text": "完成方案"}, {"date": f"{year:04d}-{month:02d}", "text": "全面完成"}]}
    return {"text": "每季度末", "recurring": {"every": "quarter", "by": "end"}}


STATES = ["已完成", "持续推进", "推进中", "未启动"]


def _report(rng: random.Random, pool: list[str], plan: dict, index: int, count: int) -> dict:
    """Report `index` of `count` on `plan`, as of a day in the plan's year (the last on 31 December)."""
    year = plan["year"]
    month = round(12 * (index + 1) / count) or 1
    last = count > 1 and index == count - 1 or month == 12
    day = 31 if month == 12 else rng.choice([15, 28])
    kind = "年度总结" if last else ("半年报告" if month in (6, 7) else "季度报告" if month in (3, 9) else "进展报告")
    done = 0.7 * (index + 1) / count  # more measures are done as the year goes on
    entries = []
    for s, section in enumerate(plan["sections"], start=1):
        for p, point in enumerate(section["points"], start=1):
            for m, measure in enumerate(point["measures"], start=1):
                if rng.random() > 0.65:
                    continue
                entry: dict = {"measure": f"s{s}-p{p}-m{m}"}
                names = [measure["responsibility"]["lead"], *measure["responsibility"].get("support", [])]
                if len(names) > 1 and rng.random() < 0.17:
                    entry["units"] = [{"name": name, "text": rng.choice(pool), "state": _state(rng, done)}
                                      for name in names]
                else:
                    entry["text"] = "".join(rng.sample(pool, k=rng.choice([1, 1, 2])))
                    if rng.random() < 0.8:
                        entry["state"] = _state(rng, done)
                entries.append(entry)
    if not entries:  # a report speaks of at least one measure
        entries.append({"measure": "s1-p1-m1", "text": rng.choice(pool)})
    return {"plan": plan["id"], "title": f"{plan['title'].removesuffix('分工方案')}{kind}（截至{month}月{day}日）",
            "kind": kind, "as_of": f"{year:04d}-{month:02d}-{day:02d}", "measures": entries}


def _state(rng: random.Random, done: float) -> str:
    roll = rng.random()
    if roll < done:
        return "已完成"
    return rng.choices(STATES[1:], weights=[3, 5, 2])[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--measures", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reports", type=int, default=0, help="progress reports per plan")
    args = parser.parse_args()
    make_corpus(args.out, args.plans, args.measures, args.seed, args.reports)
    print(f"wrote {args.plans} plans of {args.measures} measures, {args.reports} reports each, to {args.out}")


if __name__ == "__main__":
    main()
