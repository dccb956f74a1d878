"""Issue 10, point 1: a name in a plan reaches only what its issuer can mean; nothing is
credited to another body's unit of the same name."""

from __future__ import annotations

import pytest

from conftest import run_main
from test_model import errors_of, load_plan, make_content

# Two provinces' departments, each with its own sections; the second forgot to register 法规处.
PROVINCES = """\
# yaml-language-server: $schema=../../schema/registry.schema.json
collectives: [各处室]
units:
  - id: east
    name: 东省人民政府
    kind: government
    children:
      - id: east-it
        name: 东省工业和信息化厅
        aliases: [省工信厅]
        children:
          - {name: 办公室, kind: section}
          - {name: 法规处, kind: section}
      - id: east-stats
        name: 东省统计局
        aliases: [省统计局]
  - id: west
    name: 西省人民政府
    kind: government
    children:
      - id: west-it
        name: 西省工业和信息化厅
        aliases: [省工信厅]
        children:
          - name: 办公室
            kind: section
            children:
              - {name: 信息中心, kind: section}
      - id: west-stats
        name: 西省统计局
        aliases: [省统计局]
"""


def west_plan(tmp_path, responsibility: str, **kwargs):
    body = f"sections:\n  - measures:\n      - {{text: 甲, responsibility: {responsibility}}}\n"
    return body, dict(issuer="西省工业和信息化厅", registry=PROVINCES, **kwargs)


def test_a_forgotten_registration_is_an_error_naming_where_the_name_was_found(tmp_path):
    body, options = west_plan(tmp_path, "{lead: 法规处}")
    report = errors_of(tmp_path, body, **options)
    assert "单位名称“法规处”不在西省工业和信息化厅的计划可直接称呼的范围内" in report
    assert "东省工业和信息化厅法规处（id east-it-faguichu，registry/units.yaml）" in report
    assert "把它登记在 west-it 之下（文件中写 parent: west-it）" in report


def test_the_cli_check_refuses_the_forgotten_registration(tmp_path):
    body, options = west_plan(tmp_path, "{lead: 法规处}")
    result = run_main("check", "--content", str(make_content(tmp_path, body, **options)))
    assert result.returncode == 1 and "content OK" not in result.stdout
    assert "test-plan.yaml:" in result.stderr and "[sections[0].measures[0].responsibility.lead]" in result.stderr


def test_short_names_reach_the_issuer_its_units_its_parents_and_their_members(tmp_path):
    body, options = west_plan(tmp_path, "{lead: [办公室, 信息中心, 西省工业和信息化厅], support: [省统计局, 西省人民政府]}")
    plan = load_plan(tmp_path, body, **options)
    ids = [a.unit.id for a in plan.measures[0].assignments]
    assert ids == ["west-it-bangongshi", "west-it-bangongshi-xinxizhongxin", "west-it", "west-stats", "west"]


def test_an_alias_both_provinces_use_means_the_issuer_s_own_province(tmp_path):
    body, options = west_plan(tmp_path, "{lead: 省工信厅}")
    assert load_plan(tmp_path, body, **options).measures[0].assignments[0].unit.id == "west-it"


def test_another_bureau_s_section_is_not_reachable(tmp_path):
    registry = PROVINCES.replace("      - id: east-stats\n        name: 东省统计局\n        aliases: [省统计局]\n",
                                 "      - id: east-stats\n        name: 东省统计局\n        aliases: [省统计局]\n"
                                 "        children:\n          - {name: 综合处, kind: section}\n")
    report = errors_of(tmp_path, "sections:\n  - measures:\n      - {text: 甲, responsibility: {lead: 综合处}}\n",
                       issuer="东省工业和信息化厅", registry=registry)
    assert "单位名称“综合处”不在东省工业和信息化厅的计划可直接称呼的范围内" in report
    assert "east-stats-zonghechu" in report


def test_ambiguity_lists_each_candidate_with_its_body(tmp_path):
    registry = PROVINCES.replace(
        "        name: 东省统计局\n        aliases: [省统计局]\n",
        "        name: 东省统计局\n        aliases: [省统计局, 统计部门]\n",
    ).replace(
        "        name: 西省统计局\n        aliases: [省统计局]\n",
        "        name: 西省统计局\n        aliases: [省统计局, 统计部门]\n"
        "      - id: west-survey\n        name: 西省调查总队\n        aliases: [统计部门]\n",
    )
    body, options = west_plan(tmp_path, "{lead: 统计部门}")
    report = errors_of(tmp_path, body, **{**options, "registry": registry})
    assert "单位名称“统计部门”有歧义" in report
    assert "西省统计局（属西省人民政府，id west-stats）" in report and "西省调查总队（属西省人民政府，id west-survey）" in report
    assert "东省统计局" not in report  # a body outside the scope is no candidate
    assert "{name: 统计部门, unit: <id>}" in report


def test_a_qualified_reference_reaches_a_unit_outside_the_scope(tmp_path):
    body, options = west_plan(tmp_path, "{support: [{name: 法规处, unit: east-it-faguichu}]}")
    (assignment,) = load_plan(tmp_path, body, **options).measures[0].assignments
    assert assignment.written == "法规处" and assignment.unit.id == "east-it-faguichu"


@pytest.mark.parametrize("reference,message", [
    ("{name: 法规处, unit: east-it-faguichuu}", "[sections[0].measures[0].responsibility.lead[0].unit] 单位 id“east-it-faguichuu”在登记册中不存在"),
    ("{name: 规划处, unit: east-it-faguichu}", "[sections[0].measures[0].responsibility.lead[0].name] “规划处”不是东省工业和信息化厅法规处（east-it-faguichu）的登记名称或别名"),
])
def test_a_qualified_reference_must_name_a_registered_unit_by_one_of_its_names(tmp_path, reference, message):
    body, options = west_plan(tmp_path, f"{{lead: [{reference}]}}")
    assert message in errors_of(tmp_path, body, **options)


def test_the_shipped_city_plan_credits_the_party_committee_s_department_by_qualified_reference(shipped_site):
    plan = next(p for p in shipped_site.plans if p.id == "zs-2017")
    found = [a for m in plan.measures for a in m.assignments if a.written == "市委宣传部"]
    assert len(found) == 2 and {a.unit.id for a in found} == {"zs-swxcb"}


def test_every_shipped_unit_is_in_its_issuer_s_scope_or_qualified(shipped_site):
    """No shipped name resolves outside its issuer's reach without saying so."""
    from generator.registry import scopes

    for plan in shipped_site.plans:
        for measure in plan.measures:
            for assignment in measure.assignments:
                if assignment.unit is None or assignment.unit.id == "zs-swxcb":
                    continue
                assert any(test(assignment.unit) for _, test in scopes(plan.issuer)), (plan.id, assignment.written)


@pytest.mark.parametrize("registry_text", ["shipped", PROVINCES], ids=["shipped", "two provinces"])
def test_a_name_is_looked_up_exactly_as_going_through_every_unit_of_that_name_would(tmp_path, registry_text):
    """The lookup reads only the units at and below each scope's body (Registry.family); for every
    issuer and every registered name it answers what testing each unit of that name would."""
    from conftest import CONTENT
    from generator.content import read_registry
    from generator.registry import Ambiguous, Elsewhere, scopes

    if registry_text == "shipped":
        content_dir = CONTENT
    else:
        content_dir = tmp_path
        (tmp_path / "registry").mkdir()
        (tmp_path / "registry" / "units.yaml").write_text(registry_text, encoding="utf-8")
    errors = []
    registry = read_registry(content_dir, errors)
    assert not errors

    def every_unit(name, issuer):
        candidates = registry.by_name[name]
        for _, in_scope in scopes(issuer):
            near = [unit for unit in candidates if in_scope(unit)]
            if len(near) == 1:
                return near[0]
            if near:
                return Ambiguous(tuple(near))
        return Elsewhere(tuple(candidates))

    shared = [name for name, units in registry.by_name.items() if len(units) > 1]
    assert shared, "the registry has names that several units share"
    asked = 0
    for issuer in registry.units:
        for name in registry.by_name:
            if name in registry.collectives:
                continue
            assert registry.resolve(name, issuer) == every_unit(name, issuer), (name, issuer)
            asked += 1
    assert asked > 20
