"""Make a synthetic, schema-valid content folder of many plans, for benchmarks.

Usage: .venv/bin/python benchmarks/synthetic.py OUT_DIR [--plans 200] [--measures 30] [--seed 1]

Sentences are drawn from the shipped plans, so the text has the vocabulary and length of real
measures. As in real life, each body publishes one plan a year: the corpus has one synthetic
bureau (with eight sections) per ten plans, registered beside the shipped registry, and each
plan names its issuer's sections and a few city bureaus.
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


def make_corpus(out: Path, plans: int = 200, measures_per_plan: int = 30, seed: int = 1) -> Path:
    shipped = content_stage.load(ROOT / "content")
    pool = sentences(shipped)
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
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
                    measures[-1] = {k: v for k, v in measures[-1].items() if v is not None}
                points.append({"label": f"（{NUMERALS[p]}）", "title": rng.choice(pool), "measures": measures})
            sections.append({"label": f"{NUMERALS[s]}、", "title": rng.choice(pool)[:20], "points": points})
        plan = {
            "id": f"synthetic-{number:05d}",
            "title": f"{issuer}{2013 + number % PLANS_PER_BODY}年政务公开工作要点分工方案",
            "issuer": issuer,
            "kind": "分工方案",
            "year": 2013 + number % PLANS_PER_BODY,
            "sections": sections,
        }
        text = "# yaml-language-server: $schema=../../schema/plan.schema.json\n" + yaml.dump(
            plan, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
        (out / "plans" / f"{plan['id']}.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--measures", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make_corpus(args.out, args.plans, args.measures, args.seed)
    print(f"wrote {args.plans} plans of {args.measures} measures to {args.out}")


if __name__ == "__main__":
    main()
