"""Open data: each plan as JSON and CSV, linked from its page; data/ with a catalogue, the units,
JSON Schemas and a description of the columns. Checked the way a re-user would: JSON against the
published schema, CSV with Python's csv module as Excel would read it."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from generator import build as pipeline
from generator import model, opendata, progress


def _json(files: dict, path: str):
    return json.loads(files[path].decode("utf-8"))


def _validator(files: dict, name: str) -> jsonschema.Draft7Validator:
    schema = _json(files, f"data/{name}.schema.json")
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def _csv_rows(files: dict, path: str) -> list[dict]:
    raw = files[path]
    assert raw.startswith("\ufeff".encode("utf-8")), "without the BOM Excel shows the Chinese as mojibake"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture(params=["shipped", "examples"])
def built(request, built_site, examples_site):
    return built_site if request.param == "shipped" else examples_site


def test_every_json_file_is_valid_against_its_published_schema(built):
    files = built.files
    plan_schema, catalogue_schema, units_schema = (_validator(files, name) for name in opendata.SCHEMAS)
    assert _errors(catalogue_schema, _json(files, "data/plans.json")) == []
    assert _errors(units_schema, _json(files, "data/units.json")) == []
    for plan in built.site.plans:
        assert _errors(plan_schema, _json(files, f"data/plans/{plan.id}.json")) == [], plan.id


def test_the_schema_refuses_what_the_data_must_not_hold(built_site):
    """The schema is a real check, not a formality: a wrong role, a state the site does not know,
    a missing measure text or a made-up field all fail it."""
    validator = _validator(built_site.files, "plan")
    good = _json(built_site.files, "data/plans/zs-gxj-2022.json")
    measure = good["sections"][0]["points"][0]["measures"][0]
    for broken in (
        {**measure, "state": {**measure["state"], "word": "差不多"}},
        {key: value for key, value in measure.items() if key != "text"},
        {**measure, "responsibility": {"units": [{"role": "boss", "role_word": "", "written": "x", "unit": None}]}},
        {**measure, "surprise": 1},
    ):
        copy = json.loads(json.dumps(good))
        copy["sections"][0]["points"][0]["measures"][0] = broken
        assert _errors(validator, copy), broken


def test_plan_json_carries_every_measure_with_unit_ids_roles_deadline_and_status(built):
    units = {unit["id"]: unit for unit in _json(built.files, "data/units.json")["units"]}
    for plan in built.site.plans:
        data = _json(built.files, f"data/plans/{plan.id}.json")
        measures = [m for section in data["sections"]
                    for m in section["measures"] + [m for point in section["points"] for m in point["measures"]]]
        assert [m["anchor"] for m in measures] == [m.anchor for m in plan.measures]
        for written, measure in zip(measures, plan.measures):
            assert written["text"] == measure.text
            assert written["state"]["word"] == measure.state.word
            assert ("status" in written) == (measure.status is not None)
            assert [(r["report"], r["text"]) for r in written.get("readings", [])] == [
                (r.report.id, r.text) for r in measure.readings]
            assert ("deadline" in written) == (measure.deadline is not None)
            shown = [a for a in (written["responsibility"] or {"units": []})["units"]]
            shown += [a for part in written.get("parts", []) for a in (part["responsibility"] or {"units": []})["units"]]
            assert [(a["role"], a["written"]) for a in shown] == [(a.role, a.written) for a in measure.assignments]
            for assignment in shown:
                if assignment["unit"]:
                    assert assignment["unit"]["id"] in units, assignment
        assert {c["word"]: c["count"] for c in data["state_counts"]} == {s.word: n for s, n in plan.state_counts}


def test_structured_deadlines_keep_their_shape(examples_site):
    data = _json(examples_site.files, "data/plans/deadlines.json")
    deadlines = [m["deadline"] for section in data["sections"]
                 for m in section["measures"] + [m for p in section["points"] for m in p["measures"]] if "deadline" in m]
    assert any(d.get("recurring", {}).get("every") == "quarter" and d["recurring"]["end"] for d in deadlines)
    assert any(d.get("after", {}).get("unit") == "working_days" for d in deadlines)


def test_csv_opens_with_a_row_per_measure_unit_role_and_report(built):
    headings = [heading for heading, _, _ in opendata.COLUMNS]
    units = {unit["id"] for unit in _json(built.files, "data/units.json")["units"]}
    for plan in built.site.plans:
        path = f"data/plans/{plan.id}.csv"
        rows = _csv_rows(built.files, path)
        assert list(rows[0]) == headings if rows else True
        expected = []
        for m in plan.measures:
            for a in m.assignments or [None]:
                said = [r.report.id for r in m.readings]
                late = [report.id for report in plan.reports if report.id not in said and any(
                    o.unit in ("", a.written if a else "") for o in progress.overdue_at(m, report))]
                for report in sorted(said + late) or [""]:
                    expected.append((m.anchor, a.role if a else "", a.written if a else "", report))
        got = [(row["网址"].rsplit("#", 1)[1], row["职责"], row["文中名称"], row["报告编号"]) for row in rows]
        assert sorted(got) == sorted(expected), plan.id
        for row in rows:
            assert row["计划编号"] == plan.id and row["年度"] == str(plan.year)
            assert row["单位编号"] == "" or row["单位编号"] in units
            assert row["落实状态"] in model.STATE_FOR_WORD


def test_a_split_measure_gives_each_unit_its_own_part_in_the_csv(examples_site):
    plan = examples_site.plan("inline-markers")
    split = next(m for m in plan.measures if any(part.responsibility for part in m.parts))
    rows = [row for row in _csv_rows(examples_site.files, "data/plans/inline-markers.csv")
            if row["网址"].endswith("#" + split.anchor)]
    assert len({row["所负责部分"] for row in rows}) > 1
    for row in rows:
        assert row["所负责部分"] and row["所负责部分"] in row["措施"]


def test_text_that_excel_would_run_as_a_formula_stays_text(small_content):
    plan_file = next((small_content / "plans").glob("*.yaml"))
    text = plan_file.read_text(encoding="utf-8")
    first_text = next(line for line in text.splitlines() if line.strip().startswith("text:"))
    indent = first_text[: len(first_text) - len(first_text.lstrip())]
    plan_file.write_text(text.replace(first_text, f'{indent}text: "=HYPERLINK(\\"http://x.example\\",\\"点我\\")"', 1),
                         encoding="utf-8")
    files = pipeline.build_files(small_content, workers=1)
    csv_path = next(path for path in files if path.endswith(".csv"))
    cells = [cell for row in _csv_rows(files, csv_path) for cell in row.values()]
    assert not any(cell.startswith("=") for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


def test_each_plan_page_links_its_data_and_every_page_links_the_data_page(built_site):
    for plan in built_site.site.plans:
        soup = BeautifulSoup(built_site.page(f"plans/{plan.id}/index.html"), "html.parser")
        links = {a["href"] for a in soup.select("main a[href]")}
        assert f"../../data/plans/{plan.id}.csv" in links and f"../../data/plans/{plan.id}.json" in links
    home = BeautifulSoup(built_site.page("index.html"), "html.parser")
    assert home.select_one("footer a[href='data/']").get_text() == "开放数据"


def test_the_catalogue_lists_every_plan_and_its_files(built_site):
    catalogue = _json(built_site.files, "data/plans.json")
    assert [p["id"] for p in catalogue["plans"]] == [p.id for p in built_site.site.plans]
    for entry in catalogue["plans"]:
        assert entry["json"] in built_site.files and entry["csv"] in built_site.files
        assert entry["url"] + "index.html" in built_site.files


def test_every_column_is_described_on_the_data_page_and_in_the_readme(built_site):
    readme = built_site.files["data/README.md"].decode("utf-8")
    page = BeautifulSoup(built_site.page("data/index.html"), "html.parser")
    described = [th.get_text() for th in page.select("dl.data-columns dt")]
    assert described == [heading for heading, _, _ in opendata.COLUMNS]
    for heading, meaning, _ in opendata.COLUMNS:
        assert f"| {heading} | {meaning} |" in readme


def test_the_data_schema_knows_exactly_the_model_s_roles_and_states(built_site):
    schema = _json(built_site.files, "data/plan.schema.json")
    definitions = schema["definitions"]
    assert definitions["assignment"]["properties"]["role"]["enum"] == list(model.ROLES)
    assert definitions["measure"]["properties"]["state"]["properties"]["word"]["enum"] == [s.word for s in model.STATES]
    assert definitions["measure"]["properties"]["state"]["properties"]["tag"]["enum"] == [s.tag for s in model.STATES]
    documented = [s.word for s in model.STATES if s.documented]
    assert definitions["measure"]["properties"]["status"]["properties"]["state"]["enum"] == [""] + documented
    assert definitions["reading"]["properties"]["state"]["enum"] == [""] + documented
    assert definitions["unit_reading"]["properties"]["state"]["enum"] == [""] + documented
    report_file = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert definitions["report"]["then"]["properties"]["kind"]["enum"] == report_file["properties"]["kind"]["enum"]
    assert definitions["deadline"]["properties"]["recurring"]["properties"]["every"]["enum"] == list(model.PERIODS)
    assert definitions["deadline"]["properties"]["after"]["properties"]["unit"]["enum"] == list(model.COUNT_UNITS)
