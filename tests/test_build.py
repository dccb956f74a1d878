"""The build as a whole: same input same bytes, nothing from content can inject script, drafts stay out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import CONTENT, ROOT, run_cli, run_main
from generator import build as pipeline


def read_all(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_input_builds_identical_bytes(tmp_path, built_site, precompressed_site):
    """The command in a process of its own (its own hash seed, its own worker count) writes what
    this test session built; with --precompress, the gzip copies too."""
    assert run_cli("build", "--output", str(tmp_path / "a")).returncode == 0
    assert read_all(tmp_path / "a") == read_all(built_site.output)
    assert run_cli("build", "--precompress", "--output", str(tmp_path / "b")).returncode == 0
    assert read_all(tmp_path / "b") == read_all(precompressed_site)
    assert any(path.endswith(".gz") for path in read_all(tmp_path / "b"))


def test_default_command_builds_shipped_content_into_output(tmp_path):
    result = run_main("build", "--content", str(CONTENT), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "plans/zs-2017/index.html", "units/index.html", "departments/index.html",
                 "units/zs-czj/index.html", "departments/zs-gxj/index.html", "404.html", "assets/site.css"):
        assert (tmp_path / "out" / page).is_file(), page


def test_rebuild_replaces_old_pages(tmp_path, content_copy):
    output = tmp_path / "output"
    assert run_main("build", "--content", str(content_copy), "--output", str(output)).returncode == 0
    (content_copy / "plans" / "zs-jrj-2022.yaml").unlink()
    assert run_main("build", "--content", str(content_copy), "--output", str(output)).returncode == 0
    assert not (output / "plans" / "zs-jrj-2022").exists()
    assert (output / "plans" / "zs-2017" / "index.html").exists()


OUR_SCRIPTS = {"site.js", "tokenize.js", "search-core.js", "search.js"}
HOSTILE_PREAMBLE = (
    "preamble: |\n"
    "  引言<script>alert(3)</script>\n\n"
    "  [链接](javascript:alert(4)) <a href=\"http://example.com\" onclick=\"alert(5)\">外链</a>\n\n"
    "  <iframe src=\"http://evil.example\"></iframe><style>body{display:none}</style>\n"
)


def test_content_cannot_inject_script(tmp_path, content_copy):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    text = plan.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", 'title: "恶意<script>alert(1)</script>标题"', text, count=1, flags=re.M)
    text = re.sub(r"^(\s+)text: .*$", r"\1text: 措施<img src=x onerror=alert(2)>正文", text, count=1, flags=re.M)
    text = text.replace("\nsections:\n", "\n" + HOSTILE_PREAMBLE + "sections:\n", 1)
    plan.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    result = run_main("build", "--content", str(content_copy), "--output", str(output))
    assert result.returncode == 0, result.stderr
    for path, data in read_all(output).items():
        if not path.endswith(".html"):
            continue
        page = BeautifulSoup(data.decode("utf-8"), "html.parser")
        scripts = page.find_all("script")
        assert all(tag.get("src", "").rsplit("/", 1)[-1] in OUR_SCRIPTS and not tag.string for tag in scripts), path
        assert not page.find_all(["iframe", "style", "img", "object", "embed"]), path
        for tag in page.find_all(True):
            assert not [name for name in tag.attrs if name.lower().startswith("on")], (path, tag)
            for name in ("href", "src"):
                assert not str(tag.get(name, "")).strip().lower().startswith("javascript:"), (path, tag)
    page = (output / "plans" / "zs-jrj-2022" / "index.html").read_text(encoding="utf-8")
    assert "恶意&lt;script&gt;alert(1)&lt;/script&gt;标题" in page  # shown as text, not run
    assert "措施&lt;img src=x onerror=alert(2)&gt;正文" in page
    assert 'href="http://example.com"' in page  # an ordinary link survives sanitising


def test_drafts_are_left_out_of_build_but_shown_when_asked(content_copy, tmp_path):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("\nkind:", "\ndraft: true\nkind:", 1), encoding="utf-8")
    files = pipeline.build_files(content_copy)
    assert "plans/zs-jrj-2022/index.html" not in files
    assert b"zs-jrj-2022" not in files["index.html"]
    preview = pipeline.build_files(content_copy, include_drafts=True)
    assert "草稿" in preview["plans/zs-jrj-2022/index.html"].decode("utf-8")


@pytest.mark.parametrize("path", sorted(p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.yaml")))
def test_every_content_file_declares_its_schema(path):
    first_line = (CONTENT / path).read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first_line)
    assert match, f"{path} lacks the schema line"
    target = (CONTENT / path).parent / match.group(1)
    assert target.resolve().is_file()
    expected = {"plans": "plan", "registry": "registry", "reports": "report"}.get(Path(path).parts[0], "site")
    assert target.name == f"{expected}.schema.json"


@pytest.mark.parametrize("name", ["plan", "registry", "site"])
def test_schemas_are_valid_and_documented(name):
    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    for key, spec in schema["properties"].items():
        assert "description" in spec or "$ref" in spec, f"{name}.{key} has no description"


# Draft 7's keywords (validation, applicators, annotations) and the one of our own that editors'
# tools ignore and our messages read. A keyword of a later draft (`$defs`, `prefixItems`,
# `unevaluatedProperties` …) would be read by one validator and skipped by the other.
DRAFT_7_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "examples", "readOnly", "writeOnly",
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "items", "additionalItems", "maxItems", "minItems", "uniqueItems",
    "contains", "maxProperties", "minProperties", "required", "properties", "patternProperties",
    "additionalProperties", "dependencies", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf",
    "not", "format", "contentMediaType", "contentEncoding", "definitions",
}
OUR_KEYWORDS = {"patternErrorMessage"}


def _keywords(node, found: set) -> set:
    """Every keyword used in a schema (names under properties/definitions are not keywords)."""
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "patternProperties", "definitions"):
                for inner in value.values():
                    _keywords(inner, found)
            elif key not in ("enum", "const", "default", "examples", "required"):
                _keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "schema").rglob("*.schema.json")))
def test_schemas_use_draft_7_alone(path):
    """Both validators read the schemas as they are, so they must be of the one draft both know."""
    schema = json.loads((ROOT / path).read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert _keywords(schema, set()) - DRAFT_7_KEYWORDS - OUR_KEYWORDS == set()


def test_the_keyword_check_catches_a_later_draft():
    later = {"$defs": {}, "items": {"prefixItems": [{"type": "string"}]}, "unevaluatedProperties": False}
    assert _keywords(later, set()) - DRAFT_7_KEYWORDS - OUR_KEYWORDS == {"$defs", "prefixItems", "unevaluatedProperties"}


def test_checking_a_file_never_changes_its_data():
    """fastjsonschema can write each schema `default` into what it checks; ours must not."""
    import copy

    from generator import schema, yamlfile

    for path in sorted(CONTENT.rglob("*.yaml")) + sorted((ROOT / "docs" / "examples").rglob("*.yaml")):
        name = {"plans": "plan", "registry": "registry", "reports": "report"}.get(path.parent.name, "site")
        document = yamlfile.load(path)
        before = copy.deepcopy(document.data)
        assert schema.check(document, name) == [], path
        assert document.data == before, path


def test_fast_and_full_validators_agree():
    """The build trusts fastjsonschema's "valid"; it must never pass what jsonschema rejects."""
    import copy

    import fastjsonschema

    from generator import schema, yamlfile

    base = yamlfile.load(CONTENT / "plans" / "zs-jrj-2022.yaml").data
    variants = [base]
    for mutate in (
        lambda d: d.update(titel="x"),
        lambda d: d.update(year="2022"),
        lambda d: d.update(kind="方案"),
        lambda d: d["dates"].update(written="2022/1/1") if "dates" in d else d.update(dates={"written": "2022/1/1"}),
        lambda d: d["sections"][0].update(measures=[{"text": "x"}]),
        lambda d: d["sections"][0]["points"][0]["measures"].append({"label": "9."}),
        lambda d: d["sections"][0]["points"][0]["measures"].append({"text": "a", "parts": [{"text": "b"}]}),
        lambda d: d["sections"][0]["points"][0]["measures"].append({"group": {"lead": "综合科"}, "measures": [{"txt": "a"}]}),
        lambda d: d["sections"][0]["points"][0]["measures"].append({"group": {"laed": "综合科"}, "measures": [{"text": "a"}]}),
        lambda d: d["sections"][0]["points"][0]["measures"].append({"text": "a", "responsibility": {"lead": []}}),
        lambda d: d["sections"][0]["points"][0]["measures"].append({"text": "a", "deadline": {"date": "2022-01-01"}}),
        lambda d: d["sections"].append({"label": "六、"}),
        lambda d: d.update(id="Bad Id"),
    ):
        variant = copy.deepcopy(base)
        mutate(variant)
        variants.append(variant)
    for number, variant in enumerate(variants):
        full = not list(schema.validator("plan").iter_errors(variant))
        try:
            schema.fast_validator("plan")(variant)
            fast = True
        except fastjsonschema.JsonSchemaException:
            fast = False
        assert full == fast == (number == 0), number


def test_a_template_changed_between_two_builds_in_one_process_is_used(tmp_path):
    """Templates are compiled once per process (render._CompiledTemplates); an edited template
    must still be compiled again, never served from before the edit."""
    from generator.render import Templates, environment

    (tmp_path / "page.html").write_text("第一版", encoding="utf-8")
    assert environment(Templates((tmp_path,))).get_template("page.html").render() == "第一版"
    (tmp_path / "page.html").write_text("第二版", encoding="utf-8")
    assert environment(Templates((tmp_path,))).get_template("page.html").render() == "第二版"


def test_compiled_templates_kept_on_disk_are_used_and_a_damaged_one_is_compiled_again(small_content, tmp_path):
    """The second build.py reads the templates compiled by the first from disk; when those
    files are garbage, the build compiles again and writes the same site, never fails."""
    (tmp_path / "temp").mkdir()

    def build(output: str) -> dict[str, bytes]:
        result = run_cli("build", "--content", str(small_content), "--output", str(tmp_path / output),
                         env={"TMPDIR": str(tmp_path / "temp")})
        assert result.returncode == 0, result.stderr
        return read_all(tmp_path / output)

    first = build("first")
    cached = sorted((tmp_path / "temp").rglob("zwgk-*.cache"))
    assert len(cached) >= 10, "each template compiled once is kept"
    for path in cached:
        path.write_bytes(b"\x00 not bytecode " * 10)
    assert build("second") == first
    assert all(path.read_bytes() != b"\x00 not bytecode " * 10 for path in cached), "compiled afresh, and kept"


def test_workers_write_what_one_process_writes(tmp_path):
    """A site big enough for the worker pool (plans, then the pages about many plans rendered in
    forked workers while the search data is made) is byte for byte the site one process builds."""
    from benchmarks.synthetic import make_corpus

    corpus = make_corpus(tmp_path / "content", plans=pipeline.WORTH_A_POOL + 10, measures_per_plan=3, seed=7)
    pooled = pipeline.build_files(corpus, workers=2)
    alone = pipeline.build_files(corpus, workers=1)
    assert len(pooled) > 3 * pipeline.WORTH_A_POOL
    assert any(path.startswith("units/") for path in pooled)
    assert pooled.keys() == alone.keys()
    assert [path for path in pooled if pooled[path] != alone[path]] == []
