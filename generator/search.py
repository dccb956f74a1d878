"""The search index: built here with lunr.py, queried in the browser with lunr.js.

Text is tokenized by generator/tokenize.py (its twin, tokenize.js, tokenizes queries), so
lunr's own tokenizer, stemmer, stop words and trimmer (which drops CJK) are all left out.
Two files are written as scripts, not JSON, so search also works from pages opened from disk:
  assets/search-index.js  window.ZWGK_SEARCH_INDEX: the serialized lunr index
  assets/search-docs.js   window.ZWGK_SEARCH_DOCS: what a result shows (and the text a hit is
                          checked against, so a result always contains what was typed)
"""

from __future__ import annotations

import json
from pathlib import Path

from lunr.builder import Builder

from .model import LEADING_ROLES, Measure, Plan
from .site import Site, pinyin_key
from .tokenize import tokenize

ROOT = Path(__file__).resolve().parent.parent
LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.min.js"

# Field boosts: a hit in a title (plan title, unit name) or in the units responsible ranks first.
FIELDS = {"title": 10, "units": 5, "text": 1, "status": 1, "context": 1}


class MissingAsset(Exception):
    """A file the build copies from node_modules is not there."""


def measure_fields(measure: Measure) -> dict[str, str]:
    """The searchable text of a measure, by field. The browser checks hits against the same text."""
    names = []
    for assignment in measure.assignments:
        for name in (assignment.written, assignment.unit.name if assignment.unit else ""):
            if name and name not in names:
                names.append(name)
    context = [measure.plan.title, measure.section.heading]
    if measure.point and (measure.point.label or measure.point.title):
        context.append(f"{measure.point.label}{measure.point.title}")
    return {
        "text": "\n".join(filter(None, [measure.requirement, measure.text, measure.remarks])),
        "status": measure.status.text if measure.status else "",
        "units": "\n".join(names),
        "context": "\n".join(context),
    }


def _departments(measure: Measure) -> list[str]:
    found = [measure.plan.issuer.department.id]
    for assignment in measure.assignments:
        if assignment.unit and assignment.unit.department.id not in found:
            found.append(assignment.unit.department.id)
    return found


def documents(site: Site) -> tuple[list[dict], dict]:
    """(documents to index, display data for the browser)."""
    plan_index = {plan.id: number for number, plan in enumerate(site.plans)}
    indexed: list[dict] = []
    display = {"plans": [], "units": [], "measures": [], "departments": {}, "unitNames": {}}

    for plan in site.plans:
        fields = {
            "title": plan.title,
            "units": "\n".join(dict.fromkeys([plan.issuer_name, plan.issuer.name])),
            "text": "\n".join(filter(None, [plan.summary, plan.document_number])),
        }
        display["plans"].append({
            "title": plan.title, "year": plan.year, "url": f"plans/{plan.id}/",
            "issuer": plan.issuer_name, "department": plan.issuer.department.id,
            "searchText": "\n".join(fields.values()),
        })
        indexed.append({"ref": f"p{plan_index[plan.id]}", **fields, "status": "", "context": ""})

    for number, view in enumerate(site.units.values()):
        unit = view.unit
        names = [unit.display_name, unit.name, *unit.aliases]
        for former in unit.former_names:
            names += [former["name"], *former.get("aliases", [])]
        names = list(dict.fromkeys(names))
        display["units"].append({"id": unit.id, "name": unit.display_name, "names": "\n".join(names),
                                 "url": f"units/{unit.id}/", "department": unit.department.id,
                                 "leads": view.lead_count, "supports": view.support_count})
        indexed.append({"ref": f"u{number}", "title": "\n".join(names),
                        "units": "", "text": "", "status": "", "context": ""})

    for plan in site.plans:
        for measure in plan.measures:
            number = len(display["measures"])
            fields = measure_fields(measure)
            indexed.append({"ref": f"m{number}", "title": "", **fields})
            leads = [a.written for a in measure.assignments if a.role in LEADING_ROLES]
            display["measures"].append({
                "plan": plan_index[plan.id],
                "url": f"plans/{plan.id}/#{measure.anchor}",
                "path": " ".join(filter(None, [measure.section.heading,
                                               f"{measure.point.label}{measure.point.title}" if measure.point else "",
                                               measure.label])),
                "leads": list(dict.fromkeys(leads)),
                "unitIds": sorted({a.unit.id for a in measure.assignments if a.unit}),
                "departments": _departments(measure),
                **fields,
            })

    for view in site.departments.values():
        display["departments"][view.unit.id] = view.unit.name
    for view in site.units.values():
        display["unitNames"][view.unit.id] = view.unit.display_name
    display["departments"] = dict(sorted(display["departments"].items(), key=lambda item: pinyin_key(item[1])))
    display["unitNames"] = dict(sorted(display["unitNames"].items(), key=lambda item: pinyin_key(item[1])))
    return indexed, display


def build_index(indexed: list[dict]) -> dict:
    """A serialized lunr index whose terms are in the order lunr.js requires."""
    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("ref")
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost, extractor=lambda doc, name=name: tokenize(doc[name]))
    for document in indexed:
        builder.add(document)
    serialized = builder.build().serialize()
    # lunr.py sorts terms by code point; lunr.js inserts them into its token set in UTF-16
    # order and refuses anything else ("Out of order word insertion"). They differ as soon as
    # a term holds a character beyond U+FFFF, so sort the way JavaScript compares strings.
    serialized["invertedIndex"].sort(key=lambda entry: entry[0].encode("utf-16-be"))
    # Most terms occur in one or two fields; the empty postings of the others are a third of the
    # payload. search.js puts them back before handing the index to lunr.Index.load.
    # Two decimals of each BM25 weight rank as well as three and gzip a tenth smaller.
    serialized["fieldVectors"] = [
        [ref, [round(value, 2) if position % 2 else value for position, value in enumerate(vector)]]
        for ref, vector in serialized["fieldVectors"]
    ]
    for _, posting in serialized["invertedIndex"]:
        for field in FIELDS:
            if not posting.get(field):
                posting.pop(field, None)
    return serialized


def _script(variable: str, data) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # Keep the JSON inert inside a script file even if content holds "</script>" or U+2028.
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{variable}={text};\n".encode("utf-8")


def search_files(site: Site) -> dict[str, bytes]:
    if not LUNR_JS.exists():
        raise MissingAsset(
            f"找不到 {LUNR_JS.relative_to(ROOT)}：请先在项目目录运行 npm ci --ignore-scripts"
            "（lunr.js is installed from npm and copied into the site by the build）"
        )
    indexed, display = documents(site)
    return {
        "assets/lunr.min.js": LUNR_JS.read_bytes(),
        "assets/search-index.js": _script("ZWGK_SEARCH_INDEX", build_index(indexed)),
        "assets/search-docs.js": _script("ZWGK_SEARCH_DOCS", display),
    }
