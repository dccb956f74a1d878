"""Make a synthetic, schema-valid content folder of many plans, for benchmarks.

Usage: .venv/bin/python benchmarks/synthetic.py OUT_DIR [--plans 200] [--measures 30] [--seed 1]

Sentences are drawn from the shipped plans, so the text has the vocabulary and length of real
measures; units come from the shipped registry, so every name resolves.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import content as content_stage  # noqa: E402

ISSUERS = ["zs-gxj", "zs-jrj", "cz-jxw"]
NUMERALS = "一二三四五六七八九十"


def sentences(content) -> list[str]:
    found = []
    for plan in content.plans:
        for measure in plan.measures:
            found += [s + "。" for s in re.split(r"[。\n]", measure.text) if len(s) > 6]
    return sorted(set(found))


def make_corpus(out: Path, plans: int = 200, measures_per_plan: int = 30, seed: int = 1) -> Path:
    shipped = content_stage.load(ROOT / "content")
    pool = sentences(shipped)
    units = {unit.id: unit for unit in shipped.units}
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "registry", out / "registry")
    shutil.copy(ROOT / "content" / "site.yaml", out / "site.yaml")
    sections_per_plan, points_per_section = 5, 2
    per_point = max(1, measures_per_plan // (sections_per_plan * points_per_section))
    for number in range(plans):
        issuer = units[ISSUERS[number % len(ISSUERS)]]
        sections_of_issuer = [child.name for child in issuer.children]
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
            "title": f"{issuer.name}{2010 + number % 15}年政务公开工作要点分工方案（第{number}号）",
            "issuer": issuer.name,
            "kind": "分工方案",
            "year": 2010 + number % 15,
            "sections": sections,
        }
        text = "# yaml-language-server: $schema=../../schema/plan.schema.json\n" + yaml.safe_dump(
            plan, allow_unicode=True, sort_keys=False, width=10_000)
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
