"""The model on small, purpose-made content: scoping of names, inheritance, ids, anchors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import content as content_stage
from generator.errors import BuildFailed
from generator.model import Collective

REGISTRY = """\
# yaml-language-server: $schema=../../schema/registry.schema.json
collectives: [各科室]
units:
  - id: city
    name: 甲市人民政府
    kind: government
    children:
      - id: fin
        name: 甲市财政局
        aliases: [市财政局]
        children:
          - {name: 办公室, kind: section}
      - id: tech
        name: 甲市科技和信息局
        aliases: [市科技信息局]
        former_names:
          - {name: 甲市科学技术局, until: 2019, aliases: [市科技局]}
        children:
          - {name: 办公室, kind: section}
          - {id: tech-policy, name: 政策科, kind: section}
"""


def make_content(tmp_path: Path, plan_body: str, issuer: str = "甲市科技和信息局", registry: str = REGISTRY) -> Path:
    root = tmp_path / "content"
    (root / "registry").mkdir(parents=True)
    (root / "plans").mkdir()
    (root / "registry" / "units.yaml").write_text(registry, encoding="utf-8")
    header = f"id: test-plan\ntitle: 测试计划\nissuer: {issuer}\nkind: 分工方案\nyear: 2018\n"
    (root / "plans" / "test-plan.yaml").write_text(header + textwrap.dedent(plan_body), encoding="utf-8")
    return root


def load_plan(tmp_path, body, **kwargs):
    return content_stage.load(make_content(tmp_path, body, **kwargs)).plans[0]


def errors_of(tmp_path, body, **kwargs) -> str:
    with pytest.raises(BuildFailed) as failure:
        content_stage.load(make_content(tmp_path, body, **kwargs))
    return failure.value.report()


def test_name_resolves_nearest_the_issuer(tmp_path):
    plan = load_plan(tmp_path, """\
        sections:
          - label: 一、
            measures:
              - {text: 甲, responsibility: {lead: 办公室, support: 市财政局}}
        """)
    (office, finance) = plan.measures[0].assignments
    assert office.unit.id == "tech-bangongshi" and office.unit.parent.id == "tech"
    assert finance.unit.id == "fin" and finance.role == "support"


def test_a_bureau_s_section_is_not_in_the_city_s_scope(tmp_path):
    """办公室 in the city's own plan is no bureau's office: reported with where it was found."""
    report = errors_of(tmp_path, """\
        sections:
          - measures:
              - {text: 甲, responsibility: {lead: 办公室}}
        """, issuer="甲市人民政府")
    assert "单位名称“办公室”不在甲市人民政府的计划可直接称呼的范围内" in report
    assert "fin-bangongshi" in report and "tech-bangongshi" in report


def test_former_name_and_its_alias_resolve_to_today_s_unit(tmp_path):
    plan = load_plan(tmp_path, """\
        sections:
          - measures:
              - {text: 甲, responsibility: {lead: [市科技局, 甲市科学技术局]}}
        """, issuer="甲市科学技术局")
    assert plan.issuer.id == "tech" and plan.issuer_name == "甲市科学技术局"
    assert [a.unit.id for a in plan.measures[0].assignments] == ["tech", "tech"]
    assert plan.issuer.name_in(2018) == "甲市科学技术局" and plan.issuer.name_in(2022) == "甲市科技和信息局"


def test_collective_is_not_a_unit(tmp_path):
    plan = load_plan(tmp_path, """\
        sections:
          - measures:
              - {text: 甲, responsibility: {implement: 各科室, compile: 政策科}}
        """)
    collective, policy = plan.measures[0].assignments
    assert collective.unit is None and collective.collective == Collective("各科室")
    assert policy.unit.id == "tech-policy" and policy.role == "compile"


def test_responsibility_is_inherited_and_overridden(tmp_path):
    plan = load_plan(tmp_path, """\
        sections:
          - label: 一、
            responsibility: {lead: 办公室}
            points:
              - label: （一）
                measures:
                  - {label: "1.", text: 继承部分}
              - label: （二）
                responsibility: {lead: 政策科}
                measures:
                  - {label: "1.", text: 继承要点}
                  - {label: "2.", text: 自己的, responsibility: {lead: 市财政局}}
                  - group: {lead: 各科室}
                    measures:
                      - {label: "3.", text: 合并单元格一}
                      - {label: "4.", text: 合并单元格二}
                  - {label: "5.", text: 合并单元格之后}
        """)
    leads = [(m.label, [a.written for a in m.assignments], m.inherited_from) for m in plan.measures]
    assert leads == [
        ("1.", ["办公室"], "section"),
        ("1.", ["政策科"], "point"),
        ("2.", ["市财政局"], ""),
        ("3.", ["各科室"], "group"),
        ("4.", ["各科室"], "group"),
        ("5.", ["政策科"], "point"),
    ]
    assert [m.anchor for m in plan.measures] == ["s1-p1-m1", "s1-p2-m1", "s1-p2-m2", "s1-p2-m3", "s1-p2-m4", "s1-p2-m5"]


def test_parts_each_carry_their_lead(tmp_path):
    plan = load_plan(tmp_path, """\
        sections:
          - measures:
              - label: 1、
                parts:
                  - {text: 第一句。(牵头处室:办公室), responsibility: {lead: 办公室}}
                  - {text: 第二句。(牵头处室:政策科), responsibility: {lead: 政策科}}
        """)
    measure = plan.measures[0]
    assert measure.text == "第一句。(牵头处室:办公室)第二句。(牵头处室:政策科)"
    assert [a.unit.id for a in measure.assignments] == ["tech-bangongshi", "tech-policy"]


def test_status_takes_the_plan_as_of_date(tmp_path):
    plan = load_plan(tmp_path, """\
        status_as_of: 2022-11-30
        sections:
          - measures:
              - {text: 甲, status: 已完成。}
              - {text: 乙, status: {text: 推进中。, as_of: 2022-06-30}}
        """)
    assert [(m.status.text, m.status.as_of) for m in plan.measures] == [("已完成。", "2022-11-30"), ("推进中。", "2022-06-30")]


def test_generated_ids_do_not_depend_on_plans(tmp_path):
    first = content_stage.load(make_content(tmp_path / "a", "sections:\n  - measures:\n      - {text: 甲}\n"))
    ids = sorted(unit.id for unit in first.units)
    assert ids == ["city", "fin", "fin-bangongshi", "tech", "tech-bangongshi", "tech-policy"]


def test_duplicate_unit_id_and_unknown_parent(tmp_path):
    registry = REGISTRY + "  - {id: fin, name: 乙市财政局}\n"
    report = errors_of(tmp_path, "sections:\n  - measures:\n      - {text: 甲}\n", registry=registry)
    assert "单位 id“fin”重复" in report
    root = make_content(tmp_path / "b", "sections:\n  - measures:\n      - {text: 甲}\n")
    (root / "registry" / "extra.yaml").write_text("parent: tehc\nunits:\n  - {name: 新科室}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        content_stage.load(root)
    assert "extra.yaml:1:9: [parent] 上级单位 id“tehc”在登记册中不存在" in failure.value.report()
    assert "您是否想写 tech" in failure.value.report()


def test_section_may_not_mix_points_and_measures(tmp_path):
    report = errors_of(tmp_path, """\
        sections:
          - measures: [{text: 甲}]
            points: [{measures: [{text: 乙}]}]
        """)
    assert "不能同时有 points 和 measures" in report


def test_unknown_issuer(tmp_path):
    report = errors_of(tmp_path, "sections:\n  - measures:\n      - {text: 甲}\n", issuer="甲市财正局")
    assert "[issuer] 发布机构“甲市财正局”在登记册中找不到" in report and "甲市财政局" in report


def test_deadlines_keep_the_words_and_the_dates(tmp_path):
    root = make_content(tmp_path, """\
        sections:
          - deadline: 年底前
            measures:
              - {text: 甲, deadline: 持续推进}
              - {text: 丙}
              - text: 乙
                deadline:
                  text: 2021年8月前完成方案，年底前全面推开
                  milestones:
                    - {date: 2021-08-31, text: 完成方案}
                    - {date: 2021-12-31, text: 全面推开}
        """)
    from generator import build as pipeline

    files = pipeline.build_files(root)
    plan = content_stage.load(root).plans[0]
    assert [m.deadline.text for m in plan.measures] == ["持续推进", "年底前", "2021年8月前完成方案，年底前全面推开"]
    assert [x["date"] for x in plan.measures[2].deadline.milestones] == ["2021-08-31", "2021-12-31"]
    page = files["plans/test-plan/index.html"].decode("utf-8")
    assert "<th scope=\"col\">完成时限</th>" in page
    assert '<time datetime="2021-08-31">2021年8月31日</time>：完成方案' in page
