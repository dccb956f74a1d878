"""The importer on layouts other bodies publish: each fixture a table or prose written here from
a description of a real layout (tests/support/layouts.py), imported, and compared with the plan
an editor would have transcribed by hand: every measure's place, label, text and units.

Every fixture is also held to conservation: each non-empty cell and paragraph of the source is
in the draft or named in the report as not placed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator import content as content_stage
from generator.importer import import_file
from conftest import run_main
from support import layouts
from support.layouts import ABOVE as A, LEFT as L


@dataclass
class Case:
    name: str
    title: str
    grid: list[list[str]] | None = None  # a table; None for prose
    lines: list[str] = field(default_factory=list)  # prose paragraphs (after the title)
    # (section label, point label or None, measure label, text, roles(...))
    measures: list[tuple] = field(default_factory=list)
    points: list[tuple[str, str]] | None = None  # (label, title) of every point, when checked
    sections: list[tuple[str, str]] | None = None
    in_draft: list[str] = field(default_factory=list)  # lines the draft must hold (deadlines, remarks …); "!…": must not


def roles(*pairs: str) -> tuple[tuple[str, str], ...]:
    """("lead:办公室", "support:宣传股") as sorted (role, name) pairs."""
    return tuple(sorted(tuple(pair.split(":", 1)) for pair in pairs))


CASES = [
    Case(
        "heading-merged-over-serial",
        "江北县卫生健康局2021年政务公开工作要点任务分解表",
        [
            ["具体要求", L, "责任股室", "完成时限"],
            ["一、推进决策公开", L, L, L],
            ["1", "建立重大行政决策预公开制度，公开征求意见的决策事项不少于3项。", "办公室", "2021年12月底前"],
            ["2", "做好县卫健领域政策文件的解读，解读材料与文件同步发布。", "医政医管股", "持续推进"],
            ["二、推进执行公开", L, L, L],
            ["3", "公开疫苗接种服务机构名单和服务时间。", "疾病预防控制股", "2021年6月底前"],
        ],
        measures=[
            ("一、", None, "1", "建立重大行政决策预公开制度，公开征求意见的决策事项不少于3项。", roles("lead:办公室")),
            ("一、", None, "2", "做好县卫健领域政策文件的解读，解读材料与文件同步发布。", roles("lead:医政医管股")),
            ("二、", None, "3", "公开疫苗接种服务机构名单和服务时间。", roles("lead:疾病预防控制股")),
        ],
    ),
    Case(
        "spaced-headings",
        "江北县卫生健康局2020年政务公开工作要点分工方案",
        [
            ["序 号", "工 作 任 务", "具 体 要 求", "责 任 单 位", "完 成 时 限"],
            ["1", "深化政策解读", "对出台的规范性文件，做到应解读尽解读。", "规划信息股", "全年"],
            ["2", A, "通过图表、视频等形式开展多元化解读。", "宣传股", "全年"],
            ["3", "加强信息发布", "及时发布传染病疫情信息。", "疾病预防控制股", "及时"],
        ],
        measures=[
            ("", None, "1", "对出台的规范性文件，做到应解读尽解读。", roles("lead:规划信息股")),
            ("", None, "2", "通过图表、视频等形式开展多元化解读。", roles("lead:宣传股")),
            ("", None, "3", "及时发布传染病疫情信息。", roles("lead:疾病预防控制股")),
        ],
    ),
    Case(
        "task-heading-over-section-point-and-serial",
        "东陵省投资促进委员会2019年政务公开工作要点分工方案",
        [
            ["工作任务", L, L, "具体措施", "责任处室"],
            ["一、围绕优化营商环境推进公开", "（一）公开招商引资政策", "1", "集中公开全省招商引资优惠政策并动态更新。", "政策法规处"],
            [A, A, "2", "编制投资指南，以图解形式发布。", "宣传处"],
            [A, "（二）公开项目服务信息", "3", "按月公开重大项目服务进展情况。", "项目服务处"],
            ["二、加强公开平台建设", "（一）办好门户网站", "4", "规范网站栏目设置，及时更新信息。", "办公室"],
        ],
        points=[("（一）", "公开招商引资政策"), ("（二）", "公开项目服务信息"), ("（一）", "办好门户网站")],
        measures=[
            ("一、", "（一）", "1", "集中公开全省招商引资优惠政策并动态更新。", roles("lead:政策法规处")),
            ("一、", "（一）", "2", "编制投资指南，以图解形式发布。", roles("lead:宣传处")),
            ("一、", "（二）", "3", "按月公开重大项目服务进展情况。", roles("lead:项目服务处")),
            ("二、", "（一）", "4", "规范网站栏目设置，及时更新信息。", roles("lead:办公室")),
        ],
    ),
    Case(
        "prose-units-at-sentence-end",
        "南岭市2018年政务公开工作要点",
        lines=[
            "为深入推进政务公开，制定本要点。",
            "一、推进决策公开",
            "（一）推进重大决策预公开。涉及群众切身利益的重大决策，决策前向社会公开草案并说明理由。（市发展改革委负责落实）",
            "（二）做好民生政策解读。及时解读就业、社保、救助政策。（市人力社保局、市民政局分别负责落实）",
            "二、推进管理服务公开",
            "（一）公开城乡规划信息。规划批前公示、批后公布全部在网上公开。（市规划国土委负责落实）",
            "（二）公开住房保障信息。（市住房城乡建委牵头，市财政局配合）",
        ],
        sections=[("一、", "推进决策公开"), ("二、", "推进管理服务公开")],
        measures=[
            ("一、", None, "（一）", "推进重大决策预公开。涉及群众切身利益的重大决策，决策前向社会公开草案并说明理由。（市发展改革委负责落实）",
             roles("lead:市发展改革委")),
            ("一、", None, "（二）", "做好民生政策解读。及时解读就业、社保、救助政策。（市人力社保局、市民政局分别负责落实）",
             roles("each_lead:市人力社保局", "each_lead:市民政局")),
            ("二、", None, "（一）", "公开城乡规划信息。规划批前公示、批后公布全部在网上公开。（市规划国土委负责落实）",
             roles("lead:市规划国土委")),
            ("二、", None, "（二）", "公开住房保障信息。（市住房城乡建委牵头，市财政局配合）",
             roles("lead:市住房城乡建委", "support:市财政局")),
        ],
    ),
    Case(
        "prose-units-with-comma-rule",
        "南岭市2019年政务公开工作要点",
        lines=[
            "一、深化重点领域信息公开",
            "1.推进财政预决算公开。全面公开部门预决算和“三公”经费。（责任单位：市财政局，市发展改革委、市教委。逗号前的为牵头单位。）",
            "2.推进教育信息公开。公开招生入学政策和学位分配情况。（责任单位：市教委）",
        ],
        measures=[
            ("一、", None, "1.", "推进财政预决算公开。全面公开部门预决算和“三公”经费。（责任单位：市财政局，市发展改革委、市教委。逗号前的为牵头单位。）",
             roles("lead:市财政局", "support:市发展改革委", "support:市教委")),
            ("一、", None, "2.", "推进教育信息公开。公开招生入学政策和学位分配情况。（责任单位：市教委）", roles("lead:市教委")),
        ],
    ),
    Case(
        "role-words",
        "江北县卫生健康局2022年政务公开工作要点分工方案",
        [
            ["序号", "工作任务", "责任单位"],
            ["1", "做好疫情防控信息发布。", "局防控办主办、各工作组协办"],
            ["2", "公开医疗机构执业登记信息。", "医政医管股负责落实"],
            ["3", "公开爱国卫生运动信息。", "规划信息股（爱卫办）牵头"],
            ["4", "做好依申请公开答复。", "办公室、宣传股分别牵头落实"],
            ["5", "推进政务新媒体建设。", "宣传股会办公室"],
        ],
        measures=[
            ("", None, "1", "做好疫情防控信息发布。", roles("lead:局防控办", "support:各工作组")),
            ("", None, "2", "公开医疗机构执业登记信息。", roles("lead:医政医管股")),
            ("", None, "3", "公开爱国卫生运动信息。", roles("lead:规划信息股（爱卫办）")),
            ("", None, "4", "做好依申请公开答复。", roles("each_lead:办公室", "each_lead:宣传股")),
            ("", None, "5", "推进政务新媒体建设。", roles("lead:宣传股", "support:办公室")),
        ],
    ),
    Case(
        "prose-units-paragraph-after-measure",
        "南岭市2020年政务公开工作要点",
        lines=[
            "一、加强政策解读",
            "1.做好重要政策解读。市政府出台的重要政策文件，在2020年9月30日前建立解读材料同步报送制度。",
            "（责任单位：市政府办公室、市发展改革委。排在第一位的为牵头单位。）",
            "2.回应社会关切。对涉及群众切身利益的热点问题，及时发布权威信息。",
            "（责任单位：市政府办公室）",
        ],
        measures=[
            ("一、", None, "1.", "做好重要政策解读。市政府出台的重要政策文件，在2020年9月30日前建立解读材料同步报送制度。"
             "（责任单位：市政府办公室、市发展改革委。排在第一位的为牵头单位。）",
             roles("lead:市政府办公室", "support:市发展改革委")),
            ("一、", None, "2.", "回应社会关切。对涉及群众切身利益的热点问题，及时发布权威信息。（责任单位：市政府办公室）",
             roles("lead:市政府办公室")),
        ],
        in_draft=["text: 2020年9月30日前", "date: 2020-09-30"],
    ),
    Case(
        "prose-keyed-units-without-brackets",
        "南岭市2021年政务公开工作要点",
        lines=[
            "一、深化决策公开",
            "1.完善重大行政决策公众参与机制，公开征求意见的采纳情况。责任单位：市政府办公室；配合单位：市发展改革委",
            "2.推进政策解读。",
            "牵头单位：市政府办公室",
        ],
        measures=[
            ("一、", None, "1.", "完善重大行政决策公众参与机制，公开征求意见的采纳情况。责任单位：市政府办公室；配合单位：市发展改革委",
             roles("lead:市政府办公室", "support:市发展改革委")),
            ("一、", None, "2.", "推进政策解读。牵头单位：市政府办公室", roles("lead:市政府办公室")),
        ],
    ),
    Case(
        "lead-and-responsible-columns-with-extras",
        "江北县卫生健康局2022年政务公开重点任务分工",
        [
            ["序号", "重点任务", "牵头单位", "责任单位", "完成时限", "公开路径", "备注"],
            ["一、规范公开平台", L, L, L, L, L, L],
            ["1", "及时更新政府信息公开专栏。", "办公室", "各股室", "全年", "县政府门户网站", ""],
            ["2", "规范政务新媒体管理。", "宣传股", "", "2022年6月底前", "政务微信公众号", "新增"],
            ["二、做好重点领域公开", L, L, L, L, L, L],
            ["3", "公开医疗机构名单及服务信息。", "医政医管股", "规划信息股", "每季度末", "县政府门户网站", ""],
        ],
        measures=[
            ("一、", None, "1", "及时更新政府信息公开专栏。", roles("lead:办公室", "implement:各股室")),
            ("一、", None, "2", "规范政务新媒体管理。", roles("lead:宣传股")),
            ("二、", None, "3", "公开医疗机构名单及服务信息。", roles("lead:医政医管股", "implement:规划信息股")),
        ],
        in_draft=["remarks: 公开路径：县政府门户网站", "remarks: |-", "新增", "recurring: {every: quarter, by: end}"],
    ),
    Case(
        "ledger-task-spanning-its-detail",
        "东陵省投资促进委员会2021年政务公开工作重点任务台账",
        [
            ["序号", "工作任务", "细化分工", "责任处室", "完成时限", "备注"],
            ["1", "做好招商政策信息发布", "围绕重点产业招商政策发布权威信息并及时解读。", "宣传处、政策法规处等按职责分工落实", "长期推进", ""],
            ["2", "扎实做好重大项目信息公开", L, "项目服务处", "长期推进", ""],
            ["3", "提高涉企信息发布规范化水平", L, "宣传处会办公室", "2021年8月前", ""],
            ["4", "常规政务公开事项", "规范发布委机关规范性文件并集中公开。", "政策法规处", "长期推进", ""],
            ["5", A, "逐步推进所属单位预算、决算公开。", "综合协调处", "2021年2月公布预算信息，2021年8月公布决算信息", ""],
        ],
        measures=[
            ("", None, "1", "围绕重点产业招商政策发布权威信息并及时解读。", roles("implement:宣传处", "implement:政策法规处")),
            ("", None, "2", "扎实做好重大项目信息公开", roles("lead:项目服务处")),
            ("", None, "3", "提高涉企信息发布规范化水平", roles("lead:宣传处", "support:办公室")),
            ("", None, "4", "规范发布委机关规范性文件并集中公开。", roles("lead:政策法规处")),
            ("", None, "5", "逐步推进所属单位预算、决算公开。", roles("lead:综合协调处")),
        ],
        in_draft=["task: 做好招商政策信息发布", "task: 常规政务公开事项", "{date: 2021-02, text: 公布预算信息}",
                  "!task: 扎实做好重大项目信息公开", "as_written: 宣传处会办公室", "!words: {lead: 会, support: 会}"],
    ),
    Case(
        "task-column-and-requirement-over-serial",
        "江北县卫生健康局2021年政务公开工作任务分工",
        [
            ["工作任务", "具体要求", L, "责任科室", "时限要求"],
            ["强化规范性文件公开", "1", "对规范性文件进行全面清理，公布现行有效文件目录。", "办公室", "年底前"],
            ["做好主动公开基础工作", "2", "严格规范政府信息公开专栏，及时发布法定主动公开内容。", "各股室", "持续推进"],
            [A, "3", "规范编制政府信息公开工作年度报告。", "办公室", "持续推进"],
            ["加强宣传", "4", "积极参加政务公开交流约稿活动。", "宣传股", "持续推进"],
        ],
        measures=[
            ("", None, "1", "对规范性文件进行全面清理，公布现行有效文件目录。", roles("lead:办公室")),
            ("", None, "2", "严格规范政府信息公开专栏，及时发布法定主动公开内容。", roles("lead:各股室")),
            ("", None, "3", "规范编制政府信息公开工作年度报告。", roles("lead:办公室")),
            ("", None, "4", "积极参加政务公开交流约稿活动。", roles("lead:宣传股")),
        ],
        in_draft=["task: 强化规范性文件公开", "task: 做好主动公开基础工作", "columns: [工作任务, 具体要求, 责任科室, 时限要求]"],
    ),
    Case(
        "target-column-with-sections-and-points",
        "南岭市2017年政务公开工作要点实施方案",
        [
            ["目标任务", "主要内容", "责任单位"],
            ["一、以政务公开助力稳增长", L, L],
            ["（一）加强预期引导", "围绕全市经济形势和宏观政策执行情况，及时宣传解读。", "市发改委牵头落实"],
            [A, "加强就业创业政策信息公开，深入解读政策背景和落实情况。", "市人力社保局牵头落实"],
            [A, "加强财政政策信息公开，按月公开全市财政收支情况。", "市财政局、市发展改革委分别牵头落实"],
            ["（二）加强重大项目信息公开", "公开重大建设项目审批和实施信息。", "市发展改革委牵头，市住房城乡建委配合"],
            ["二、以政务公开推进民生改善", L, L],
            ["（一）推进教育信息公开", "公开义务教育招生范围和入学办法。", "市教委牵头落实"],
        ],
        points=[("（一）", "加强预期引导"), ("（二）", "加强重大项目信息公开"), ("（一）", "推进教育信息公开")],
        measures=[
            ("一、", "（一）", "", "围绕全市经济形势和宏观政策执行情况，及时宣传解读。", roles("lead:市发改委")),
            ("一、", "（一）", "", "加强就业创业政策信息公开，深入解读政策背景和落实情况。", roles("lead:市人力社保局")),
            ("一、", "（一）", "", "加强财政政策信息公开，按月公开全市财政收支情况。", roles("each_lead:市财政局", "each_lead:市发展改革委")),
            ("一、", "（二）", "", "公开重大建设项目审批和实施信息。", roles("lead:市发展改革委", "support:市住房城乡建委")),
            ("二、", "（一）", "", "公开义务教育招生范围和入学办法。", roles("lead:市教委")),
        ],
    ),
    Case(
        "section-rows-in-the-serial-column",
        "江北县卫生健康局2023年政务公开工作要点分工方案",
        [
            ["序号", "工作任务", "责任股室", "完成时限"],
            ["一", "推进决策公开", "", ""],
            ["1", "公开重大行政决策事项目录。", "办公室", "2023年3月底前"],
            ["2", "做好决策草案意见征集。", "—", "全年"],
            ["二、推进执行公开", "", "", ""],
            ["3", "公开重点工作推进情况。", "办公室\n宣传股", "每季度末"],
        ],
        sections=[("一", "推进决策公开"), ("二、", "推进执行公开")],
        measures=[
            ("一", None, "1", "公开重大行政决策事项目录。", roles("lead:办公室")),
            ("一", None, "2", "做好决策草案意见征集。", roles()),
            ("二、", None, "3", "公开重点工作推进情况。", roles("lead:办公室", "lead:宣传股")),
        ],
    ),
    Case(
        "no-header-row",
        "江北县卫生健康局2020年政务公开工作要点",
        [
            ["一、推进决策公开", L, L, L],
            ["1", "公开重大行政决策事项目录。", "办公室", "2020年3月底前"],
            ["2", "做好决策草案意见征集，公开采纳情况。", "医政医管股牵头，宣传股配合", "全年"],
            ["二、推进执行公开", L, L, L],
            ["3", "公开重点工作推进情况。", "办公室", "每季度末"],
        ],
        measures=[
            ("一、", None, "1", "公开重大行政决策事项目录。", roles("lead:办公室")),
            ("一、", None, "2", "做好决策草案意见征集，公开采纳情况。", roles("lead:医政医管股", "support:宣传股")),
            ("二、", None, "3", "公开重点工作推进情况。", roles("lead:办公室")),
        ],
        in_draft=["date: 2020-03", "!columns: []"],
    ),
    Case(
        "point-labels-as-measures",
        "江北县卫生健康局2019年政务公开工作要点分工方案",
        [
            ["工作任务", "责任股室", "完成时限"],
            ["一、推进执行和结果公开", L, L],
            ["（一）公开年度重点工作推进情况。", "办公室", "2019年12月底前"],
            ["（二）公开卫生健康事业统计公报。", "规划信息股", "2019年6月底前"],
            ["（三）公开医疗卫生机构名单。", A, A],
            ["二、加强政策解读", L, L],
            ["（一）做好政策解读。", "宣传股", "全年"],
        ],
        measures=[
            ("一、", None, "（一）", "公开年度重点工作推进情况。", roles("lead:办公室")),
            ("一、", None, "（二）", "公开卫生健康事业统计公报。", roles("lead:规划信息股")),
            ("一、", None, "（三）", "公开医疗卫生机构名单。", roles("lead:规划信息股")),
            ("二、", None, "（一）", "做好政策解读。", roles("lead:宣传股")),
        ],
    ),
]


def issuer_of(case: Case) -> str | None:
    return None


def write_case(case: Case, folder: Path, fmt: str) -> Path:
    path = folder / f"{case.name}.{fmt}"
    if case.grid is None:
        if fmt == "txt":
            path.write_text("\n".join([case.title, *case.lines]) + "\n", encoding="utf-8")
        else:
            layouts.write_prose_docx(path, [case.title, *case.lines])
    elif fmt == "docx":
        layouts.write_docx(path, case.grid, before=[case.title])
    else:
        layouts.write_xlsx(path, case.grid, before=[case.title])
    return path


def summary(plan) -> list[tuple]:
    out = []
    for measure in plan.measures:
        responsibilities = [measure.responsibility] + [part.responsibility for part in measure.parts]
        given = tuple(sorted((a.role, a.written) for r in responsibilities if r for a in r.assignments))
        text = measure.text or "".join(part.text for part in measure.parts)
        out.append((measure.section.label, measure.point.label if measure.point else None, measure.label, text, given))
    return out


@pytest.fixture
def layout_content(tmp_path) -> Path:
    content = tmp_path / "content"
    layouts.write_registry(content)
    return content


FORMATS = {case.name: (["docx", "xlsx"] if case.grid else ["docx", "txt"]) for case in CASES}


@pytest.mark.parametrize("case, fmt", [(case, fmt) for case in CASES for fmt in FORMATS[case.name]],
                         ids=lambda value: value.name if isinstance(value, Case) else value)
def test_layout_imports_as_transcribed(case, fmt, tmp_path, layout_content):
    source = write_case(case, tmp_path, fmt)
    imported = import_file(source, layout_content, plan_id="imported")
    loaded = content_stage.load(layout_content, include_drafts=True)
    plan = next(plan for plan in loaded.plans if plan.id == "imported")
    if case.sections is not None:
        assert [(s.label, s.title) for s in plan.sections] == case.sections
    if case.points is not None:
        assert [(p.label, p.title) for p in plan.points] == case.points
    assert summary(plan) == case.measures
    assert imported.measures == len(case.measures)
    draft = imported.path.read_text(encoding="utf-8")
    assert_conserved(source_texts(case), draft)
    lines = [line.strip().removeprefix("- ") for line in draft.split("\n")]
    assert [wanted for wanted in case.in_draft if (wanted[1:] in lines if wanted.startswith("!") else wanted not in lines)] == []
    assert not [line for line in imported.report if "原文未放入" in line]


def source_texts(case: Case) -> list[str]:
    cells = [text for row in case.grid or [] for text in row if text not in (A, L)]
    return [case.title, *case.lines, *cells]


def _normal(text: str) -> str:
    return re.sub(r"[^\w□]+", "", unicodedata.normalize("NFKC", text)).replace("_", "")


def assert_conserved(texts: list[str], draft: str) -> None:
    """Every run of every source text (between punctuation marks) is somewhere in the draft:
    in a field where it belongs, or kept in the editor's notes as not placed."""
    body = _normal(draft)
    for text in texts:
        runs = [_normal(run) for run in re.split(r"[^\w□]+", unicodedata.normalize("NFKC", text))]
        missing = [run for run in runs if run and run not in body]
        assert not missing, f"{text!r}: {missing} not in the draft"


# -- nothing silently lost ------------------------------------------------------------------

def test_a_second_table_is_kept_word_for_word_and_reported_first(tmp_path, layout_content):
    """The importer reads one plan table; a second one (a contact list) is not lost: its rows
    are in the editor's notes, and the report names them first, with where they stood."""
    case = CASES[0]
    source = tmp_path / "two-tables.docx"
    document = __import__("docx").Document()
    document.add_paragraph(case.title)
    for grid in (case.grid, [["联系人", "联系电话"], ["王明", "0000-1234567"], ["李红", "0000-7654321"]]):
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if text not in (A, L):
                    table.cell(r, c).text = text
        for first, col, last, col_end in layouts.merges_of(grid):
            table.cell(first, col).merge(table.cell(last, col_end))
    document.save(str(source))
    imported = import_file(source, layout_content, plan_id="imported")
    draft = imported.path.read_text(encoding="utf-8")
    assert_conserved(["联系人", "联系电话", "王明", "0000-1234567", "李红"], draft)
    assert imported.report[0].startswith("！【原文未放入】3 处")
    assert "表2第2行" in "\n".join(imported.report)
    assert summary(content_stage.load(layout_content, include_drafts=True).plans[0]) == case.measures


def test_measures_that_cannot_be_measures_are_the_first_findings(tmp_path, layout_content):
    """A column of unit names read as the measures (the sign of a layout the importer got
    wrong) and a section without measures lead the report; it never says all is well."""
    grid = [["序号", "工作任务", "责任单位"],
            ["一、推进决策公开", L, L],
            ["1", "办公室", "办公室"],
            ["2", "3", "宣传股"],
            ["二、推进执行公开", L, L]]
    source = tmp_path / "odd.docx"
    layouts.write_docx(source, grid, before=["江北县卫生健康局2021年政务公开工作要点"])
    imported = import_file(source, layout_content, plan_id="imported")
    assert imported.report[0].startswith("！【没有措施】1 处") or imported.report[0].startswith("！【措施可疑】")
    kinds = [line for line in imported.report if line.startswith("！")]
    assert {line.split("】")[0] for line in kinds} == {"！【措施可疑", "！【没有措施"}
    report = "\n".join(imported.report)
    assert "只有单位名称" in report and "只有编号" in report and "section without measures" in report
    assert "没有发现需要特别核对" not in imported.path.read_text(encoding="utf-8")


def test_prose_without_any_measure_says_so(tmp_path, layout_content):
    source = tmp_path / "no-measures.txt"
    source.write_text("江北县卫生健康局2021年政务公开工作要点\n一、总体要求\n坚持以公开为常态。\n二、保障措施\n加强组织领导。\n",
                      encoding="utf-8")
    imported = import_file(source, layout_content, plan_id="imported")
    assert imported.measures == 0
    assert imported.report[0].startswith("！【没有措施】1 处")


@pytest.mark.parametrize("shape", ["prose", "measure cell", "units cell"])
def test_a_cell_of_200000_characters_imports_in_seconds(shape, tmp_path, layout_content):
    """Every pattern is linear in the length of a line or cell: a 200,000-character measure
    without a single punctuation mark (which a pattern that scans back from each character
    takes minutes over) imports in a few seconds and is kept whole."""
    import time
    long = "公开政务信息" * 33_334
    title = "江北县卫生健康局2021年政务公开工作要点"
    if shape == "prose":
        source = tmp_path / "long.txt"
        source.write_text(f"{title}\n一、推进公开\n1.{long}（办公室负责）\n", encoding="utf-8")
    else:
        source = tmp_path / "long.docx"
        row = ["1", long, "办公室"] if shape == "measure cell" else ["1", "做好公开。", long]
        layouts.write_docx(source, [["序号", "工作任务", "责任单位"], row], before=[title])
    started = time.perf_counter()
    imported = import_file(source, layout_content, plan_id="imported")
    assert time.perf_counter() - started < 20
    assert long in imported.path.read_text(encoding="utf-8")
    assert all(len(line) < 2000 for line in imported.report)


# -- starting without a registry ----------------------------------------------------------------

def bare_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "registry").mkdir(parents=True)
    (content / "plans").mkdir()
    (content / "registry" / "collectives.yaml").write_text("collectives:\n  - 各科室\n", encoding="utf-8")
    return content


def test_register_writes_a_registry_draft_for_a_body_and_its_sections(tmp_path):
    """A county bureau nobody registered: --register writes its government, the bureau and the
    sections the table names (a bracketed second name as an alias, two units joined by 会 as
    two), each guess marked; the plan then resolves every name."""
    content = bare_content(tmp_path)
    case = next(case for case in CASES if case.name == "role-words")
    source = write_case(case, tmp_path, "docx")
    result = run_main("import", str(source), "--content", str(content), "--register")
    assert result.returncode == 0, result.stderr
    files = sorted((content / "registry").glob("*.yaml"))
    assert [path.name for path in files] == ["collectives.yaml", "jbx.yaml"]
    registry = files[1].read_text(encoding="utf-8")
    assert "已写出登记册草稿" in result.stdout and "jbx.yaml" in result.stdout
    assert "name: 江北县人民政府" in registry and "江北县人民政府，按发布机构名称中的地名新建" in registry
    assert "name: 规划信息股" in registry and "aliases: [爱卫办]" in registry and "宣传股会办公室" not in registry
    assert "- 各工作组" in registry
    plan = content_stage.load(content, include_drafts=True).plans[0]
    assert plan.issuer.name == "江北县卫生健康局" and plan.id == "jbx-wsjkj-2022"
    assert summary(plan) == case.measures
    assert "单位未登记" not in result.stdout


def test_register_a_government_plan_names_its_departments_in_full(tmp_path):
    """A city's plan naming 市发展改革委, 市财政局 …: departments of that city's government,
    written with the place in full and the printed short form kept as an alias."""
    content = bare_content(tmp_path)
    case = next(case for case in CASES if case.name == "prose-units-at-sentence-end")
    source = write_case(case, tmp_path, "txt")
    result = run_main("import", str(source), "--content", str(content), "--register", "--issuer", "南岭市人民政府")
    assert result.returncode == 0, result.stderr
    registry = (content / "registry" / "nls.yaml").read_text(encoding="utf-8")
    assert "name: 南岭市财政局" in registry and "aliases: [市财政局]" in registry
    assert "文中写作“市财政局”，按地名补全为“南岭市财政局”" in registry
    plan = content_stage.load(content, include_drafts=True).plans[0]
    assert summary(plan) == case.measures
    responsible = {a.unit.name for m in plan.measures for p in m.parts for a in p.responsibility.assignments}
    assert "南岭市发展改革委" in responsible and "南岭市规划国土委" in responsible


def test_register_adds_only_what_a_registered_body_lacks_and_never_overwrites(tmp_path, layout_content):
    """A registered issuer keeps its entry: the new file hangs the unknown sections below it.
    A second import writes a file of its own beside the first."""
    grid = [["序号", "工作任务", "责任单位"], ["1", "做好公开。", "办公室"], ["2", "做好解读。", "法规股"]]
    source = tmp_path / "plan.docx"
    layouts.write_docx(source, grid, before=["江北县卫生健康局2023年政务公开工作要点"])
    first = run_main("import", str(source), "--content", str(layout_content), "--register", "--id", "first")
    assert first.returncode == 0, first.stderr
    added = (layout_content / "registry" / "jb-wjj-units.yaml").read_text(encoding="utf-8")
    assert added.count("- name:") == 1 and "name: 法规股" in added and "parent: jb-wjj" in added
    before = (layout_content / "registry" / "jb-wjj-units.yaml").read_bytes()
    grid[2][2] = "财务股"
    layouts.write_docx(source, grid, before=["江北县卫生健康局2023年政务公开工作要点"])
    second = run_main("import", str(source), "--content", str(layout_content), "--register", "--id", "second")
    assert second.returncode == 0, second.stderr
    assert (layout_content / "registry" / "jb-wjj-units.yaml").read_bytes() == before
    assert "name: 财务股" in (layout_content / "registry" / "jb-wjj-units-2.yaml").read_text(encoding="utf-8")
    assert len(content_stage.load(layout_content, include_drafts=True).plans) == 2


def test_without_register_an_unknown_issuer_points_to_it(tmp_path):
    content = bare_content(tmp_path)
    source = write_case(CASES[0], tmp_path, "docx")
    result = run_main("import", str(source), "--content", str(content))
    assert result.returncode == 1 and "--register" in result.stderr
    assert list((content / "plans").iterdir()) == [] and len(list((content / "registry").iterdir())) == 1


# -- the report -------------------------------------------------------------------------------

def test_a_long_sheet_with_one_misspelt_unit_is_summed_up_not_listed(tmp_path, layout_content):
    """500 rows naming the same unregistered unit: one group with its count and three places,
    not 500 lines; the draft still marks every place."""
    grid = [["序号", "工作任务", "责任单位"]] + [[str(n), f"做好第{n}项公开工作。", "医政科"] for n in range(1, 501)]
    source = tmp_path / "long.xlsx"
    layouts.write_xlsx(source, grid, before=["江北县卫生健康局2021年政务公开工作任务分解表"])
    result = run_main("import", str(source), "--content", str(layout_content))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(lines) < 12
    assert any(line.startswith("【单位未登记】500 处") for line in lines)
    assert any("另有 497 处" in line for line in lines)
    draft = (layout_content / "plans" / "jb-wjj-2021.yaml").read_text(encoding="utf-8")
    assert draft.count("［单位未登记］") == 500


def test_a_suggestion_from_another_body_says_whose_it_is(tmp_path, layout_content):
    """项目服务处 is registered only under the provincial commission: suggested to a county
    bureau's plan, it is named as another body's unit."""
    grid = [["序号", "工作任务", "责任单位"], ["1", "做好项目服务公开。", "项目服务科"]]
    source = tmp_path / "elsewhere.docx"
    layouts.write_docx(source, grid, before=["江北县卫生健康局2021年政务公开工作要点"])
    imported = import_file(source, layout_content, plan_id="imported")
    report = "\n".join(imported.report)
    assert "项目服务处（属于东陵省投资促进委员会，不在发布机构的范围内）" in report


def test_every_finding_is_made_with_a_kind_the_report_knows():
    """The report groups by kind: a finding made without one, or with a kind that has no
    entry in findings.KINDS, would fall out of its group."""
    import ast

    from generator.importer.findings import KINDS
    made, used = [], set()
    for path in sorted((Path(__file__).parent.parent / "generator" / "importer").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Finding":
                kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
                made.append((path.name, node.lineno, kind.value if isinstance(kind, ast.Constant) else None))
                used.add(made[-1][2])
    assert len(made) > 25
    assert [entry for entry in made if entry[2] not in KINDS] == []
    assert set(KINDS) - used == set()


@pytest.mark.parametrize("plan_id, fmt", [(plan, fmt) for plan in ["zs-2017", "zs-jxj-2018", "zs-jrj-2022", "zs-gxj-2022"]
                                          for fmt in ("docx", "xlsx")] + [("cz-jxw-2018", "txt")])
def test_the_shipped_plans_sources_are_conserved(plan_id, fmt, tmp_path, empty_content):
    """The five shipped plans, written back out as the files they came as (with page breaks,
    repeated headers and broken cells): every piece of text is placed, none kept as not placed."""
    import docx as docx_module
    import openpyxl

    from test_import import write_source
    source = write_source(plan_id, fmt, tmp_path)
    imported = import_file(source, empty_content, issuer={"zs-2017": "中山市人民政府办公室"}.get(plan_id), plan_id=plan_id)
    if fmt == "docx":
        document = docx_module.Document(str(source))
        texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    elif fmt == "xlsx":
        texts = [str(v) for row in openpyxl.load_workbook(str(source)).active.iter_rows(values_only=True) for v in row if v]
    else:
        texts = source.read_text(encoding="utf-8").split("\n")
    assert_conserved(texts, imported.path.read_text(encoding="utf-8"))
    assert "原文未放入" not in "\n".join(imported.report)


def test_a_title_broken_over_two_lines_and_a_covering_notice(tmp_path, layout_content):
    """江北县卫生健康局 / 2021年政务公开工作要点分工方案 is one title (neither half in the
    preamble); 关于印发《南岭市2018年政务公开工作要点》的通知 is read by the plan it sends."""
    source = tmp_path / "split.docx"
    layouts.write_docx(source, [["序号", "工作任务", "责任单位"], ["1", "做好公开。", "办公室"]],
                       before=["江北县卫生健康局", "2021年政务公开工作要点分工方案", "为做好今年工作，制定本方案。"])
    imported = import_file(source, layout_content, plan_id="split")
    assert (imported.plan.title, imported.plan.issuer, imported.plan.preamble) == (
        "江北县卫生健康局2021年政务公开工作要点分工方案", "江北县卫生健康局", "为做好今年工作，制定本方案。")
    notice = tmp_path / "notice.txt"
    notice.write_text("关于印发《南岭市2018年政务公开工作要点》的通知\n各区县人民政府：\n现将要点印发给你们。\n"
                      "一、推进决策公开\n1.公开重大决策草案。（市发展改革委负责落实）\n", encoding="utf-8")
    imported = import_file(notice, layout_content, plan_id="notice")
    assert (imported.plan.issuer, imported.plan.kind, imported.plan.year) == ("南岭市人民政府", "工作要点", 2018)


def test_a_table_with_headings_only_is_named_as_such(tmp_path, layout_content):
    source = tmp_path / "empty-table.docx"
    layouts.write_docx(source, [["序号", "工作任务", "责任单位", "完成时限"]], before=["江北县卫生健康局2021年政务公开工作要点"])
    result = run_main("import", str(source), "--content", str(layout_content))
    assert result.returncode == 1 and "表1有表头，但表头下面没有任何一行内容" in result.stderr
    assert list((layout_content / "plans").iterdir()) == []
