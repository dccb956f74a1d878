"""The five seed documents, transcribed: counts and who answers for what, checked against the sources."""

from __future__ import annotations

import pytest

# plan id: (sections, points, measures, measures per section)
EXPECTED = {
    "zs-jxj-2018": (4, 15, 25, [12, 2, 4, 7]),
    "cz-jxw-2018": (3, 3, 10, [0, 10, 0]),
    "zs-2017": (22, 0, 114, [5, 12, 1, 2, 11, 5, 4, 5, 6, 5, 11, 4, 4, 9, 3, 3, 4, 6, 3, 3, 6, 2]),
    "zs-gxj-2022": (5, 11, 22, [3, 3, 6, 8, 2]),
    "zs-jrj-2022": (5, 12, 25, [5, 3, 6, 7, 4]),
}


def plan(site, plan_id):
    return next(p for p in site.plans if p.id == plan_id)


def measure(site, plan_id, section_label, label, point_label=None, nth=0):
    """A measure by how a reader cites it: 二、 (一) 3."""
    found = [
        m for m in plan(site, plan_id).measures
        if m.section.label == section_label and m.label == label
        and (point_label is None or (m.point and m.point.label == point_label))
    ]
    return found[nth]


def names(measure, *roles):
    return [a.written for a in measure.assignments if a.role in roles]


@pytest.mark.parametrize("plan_id", sorted(EXPECTED))
def test_counts(shipped_site, plan_id):
    sections, points, measures, per_section = EXPECTED[plan_id]
    p = plan(shipped_site, plan_id)
    assert len(p.sections) == sections
    assert len(p.points) == points
    assert len(p.measures) == measures
    assert [len(s.all_measures) for s in p.sections] == per_section


def test_seed_002_numbered_measures_all_transcribed(shipped_site):
    """Every section of the 2017 city plan numbers its measures 1., 2., … without a gap (the one
    unnumbered measure is 三、's only one)."""
    for section in plan(shipped_site, "zs-2017").sections:
        labels = [m.label for m in section.all_measures]
        if section.label == "三、":
            assert labels == [""]
        else:
            assert labels == [f"{n}." for n in range(1, len(labels) + 1)], section.label


def test_seed_002_merged_cells_are_inherited(shipped_site):
    """A unit printed once after the first measure covers the following measures without a unit."""
    expectations = [
        ("二、", "4.", "市财政局"), ("二、", "5.", "市财政局"),
        ("二、", "6.", "市国土资源局"), ("二、", "7.", "市国土资源局"),
        ("二、", "9.", "市地税局"), ("二、", "12.", "市地税局"),
        ("五、", "3.", "市编委办"), ("五、", "7.", "市政府各部门"),
        ("六、", "5.", "市国资委"), ("十一、", "11.", "市工商局"),
        ("十八、", "6.", "市安全监管局"), ("二十一、", "2.", "市经济和信息化局"),
    ]
    for section, label, unit in expectations:
        m = measure(shipped_site, "zs-2017", section, label)
        assert unit in names(m, "lead"), (section, label, names(m, "lead"))
    assert names(measure(shipped_site, "zs-2017", "二、", "8."), "lead") == ["市国税局"]
    assert names(measure(shipped_site, "zs-2017", "五、", "1."), "lead") == ["市编委办", "各镇区"]
    assert measure(shipped_site, "zs-2017", "二、", "5.").inherited_from == "group"
    assert measure(shipped_site, "zs-2017", "六、", "5.").inherited_from == "section"


def test_seed_002_units_resolve_to_city_bureaus(shipped_site):
    m = measure(shipped_site, "zs-2017", "二、", "2.")
    (assignment,) = m.assignments
    assert assignment.unit.id == "zs-gxj"  # 市经济和信息化局 is today's 中山市工业和信息化局
    collective = [a for a in measure(shipped_site, "zs-2017", "五、", "1.").assignments if a.written == "各镇区"][0]
    assert collective.unit is None and collective.collective.name == "各镇区"


def test_seed_000_point_responsibility_covers_its_measures(shipped_site):
    for label in ("1.", "2.", "3."):
        m = measure(shipped_site, "zs-jxj-2018", "一、", label, "(一)")
        assert names(m, "lead") == ["产业政策科"]
        assert m.inherited_from == "point"
    m = measure(shipped_site, "zs-jxj-2018", "一、", "", "(四)")
    assert names(m, "lead") == ["财务室", "节能监察中心", "无线电监测站", "技术科", "装备制造业科", "电力科", "工业科"]


def test_seed_001_parts_carry_their_own_lead(shipped_site):
    m = measure(shipped_site, "cz-jxw-2018", "二、", "1、", "(一)")
    assert [names_of_part(part) for part in m.parts] == [["办公室"], ["法规处"]]
    assert m.parts[0].text.endswith("(牵头处室:办公室)")
    m = measure(shipped_site, "cz-jxw-2018", "二、", "3、", "(二)")
    assert [names_of_part(part) for part in m.parts] == [["法规处", "执法支队"], ["信用办"]]
    unit = m.parts[0].responsibility.assignments[0].unit
    assert unit.id == "cz-jxw-faguichu" and unit.parent.id == "cz-jxw"


def names_of_part(part):
    return [a.written for a in part.responsibility.assignments]


def test_seed_003_lead_and_supporting_units_and_status(shipped_site):
    m = measure(shipped_site, "zs-gxj-2022", "一、", "", "（一）")
    assert names(m, "lead") == ["产业政策与法制科"]
    assert names(m, "support") == ["各业务科室"]
    assert m.responsibility.as_written == "产业政策与法制科牵头，各业务科室配合落实"
    assert m.status.text == "今年公开我局规范性文件4份。"
    assert m.status.as_of == "2022-11-30"


def test_seed_004_roles_and_missing_heading(shipped_site):
    m = measure(shipped_site, "zs-jrj-2022", "一、", "2.")
    assert names(m, "implement") == ["各科室"] and names(m, "compile") == ["综合科"]
    assert [m.label for m in plan(shipped_site, "zs-jrj-2022").measures] == [f"{n}." for n in range(1, 26)]
    second = plan(shipped_site, "zs-jrj-2022").sections[1]
    assert second.label == "二、" and second.title == "" and second.editor_note
    assert names(measure(shipped_site, "zs-jrj-2022", "三、", "14."), "lead") == ["综合科"]


def test_same_section_name_in_two_bodies_is_two_units(shipped_site):
    """综合科 of the 2018 经信局 plan and 综合科 of the 金融工作局 plan are different units."""
    a = measure(shipped_site, "zs-jxj-2018", "二、", "1.", "(一)").assignments[0].unit
    b = measure(shipped_site, "zs-jrj-2022", "一、", "4.").assignments[0].unit
    assert a.name == b.name == "综合科"
    assert a is not b and a.id != b.id
    office_changzhou = measure(shipped_site, "cz-jxw-2018", "二、", "3、", "(一)").parts[0].responsibility.assignments[0].unit
    office_zhongshan = measure(shipped_site, "zs-gxj-2022", "一、", "", "（二）").assignments[0].unit
    assert office_changzhou.name == office_zhongshan.name == "办公室"
    assert office_changzhou.parent.name == "常州市经济和信息化委员会"
    assert office_zhongshan.parent.name == "中山市工业和信息化局"


def test_former_name_resolves_to_one_unit(shipped_site):
    old = plan(shipped_site, "zs-jxj-2018")
    new = plan(shipped_site, "zs-gxj-2022")
    assert old.issuer is new.issuer
    assert old.issuer_name == "中山市经济和信息化局" and new.issuer_name == "中山市工业和信息化局"
