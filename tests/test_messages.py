"""Issue 10, point 6: messages that teach: every error in one run, YAML syntax in Chinese with a
hint (the parser's words kept), Chinese role words pointed to the schema's key, the right field."""

from __future__ import annotations

import re

import pytest

from conftest import run_main
from test_model import errors_of, make_content


def test_an_unknown_issuer_and_unknown_units_in_one_run(tmp_path):
    report = errors_of(tmp_path, "sections:\n  - measures:\n      - {text: 甲, responsibility: {lead: [市财政局, 财正科]}}\n",
                       issuer="甲市科学计术局")
    assert "[issuer] 发布机构“甲市科学计术局”在登记册中找不到" in report
    assert "[sections[0].measures[0].responsibility.lead[1]] 单位名称“财正科”在登记册（content/registry/）中找不到" in report
    assert "“市财政局”" not in report  # registered: without the issuer's scope it is not held against the plan


@pytest.mark.parametrize("line,what,hint,english", [
    ("title: 关于做好工作的通知: 第二版", "这里不能出现“: ”", "请把整段文字用双引号括起来", "mapping values are not allowed"),
    ("title:\n\t测试计划", "缩进里有 Tab 字符", "缩进只能用空格", "cannot start any token"),
    ("title: [测试计划", "方括号或花括号没有闭合", "以 [ 或 { 开头的文字请用双引号括起来", "expected ',' or ']'"),
    ('title: "测试计划', "引号或括号没有闭合", "检查引号是否成对", "end of stream"),
])
def test_yaml_syntax_errors_are_told_in_chinese_with_a_hint(tmp_path, line, what, hint, english):
    root = make_content(tmp_path, "sections:\n  - measures:\n      - {text: 甲}\n")
    plan = root / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: 测试计划", line), encoding="utf-8")
    result = run_main("check", "--content", str(root))
    assert result.returncode == 1
    message = next(row for row in result.stderr.splitlines() if "YAML 语法错误" in row)
    assert re.match(r".*test-plan\.yaml:\d+:\d+: YAML 语法错误：", message), message
    assert what in message and "提示：" in message and hint in message, message
    assert re.search(rf"（[^（）]*{re.escape(english)}[^（）]*）", message), message


@pytest.mark.parametrize("key,role", [("协办", "support"), ("主办", "lead"), ("分别负责", "each_lead"), ("参照落实", "follow")])
def test_a_role_word_written_as_a_key_points_to_the_schema_s_key(tmp_path, key, role):
    report = errors_of(tmp_path, f"sections:\n  - measures:\n      - {{text: 甲, responsibility: {{{key}: 办公室}}}}\n")
    assert f"[sections[0].measures[0].responsibility.{key}] 未知字段“{key}”" in report
    assert f"字段名请写 {role}" in report and f"words: {{{role}: {key}}}" in report


def test_a_role_word_as_a_measure_key_points_to_responsibility(tmp_path):
    report = errors_of(tmp_path, "sections:\n  - measures:\n      - {text: 甲, 牵头单位: 办公室}\n")
    assert "[sections[0].measures[0].牵头单位] 未知字段“牵头单位”" in report
    assert "请写在 responsibility 中：responsibility: {lead: …" in report


@pytest.mark.parametrize("field,value", [
    ("deadline", "{date: 2021-03}"),
    ("status", "{as_of: 2021-03, state: 已完成}"),
])
def test_a_deadline_or_status_without_text_is_blamed_on_itself(tmp_path, field, value):
    report = errors_of(tmp_path, f"sections:\n  - measures:\n      - text: 甲\n        {field}: {value}\n")
    column = len(f"        {field}: ") + 1  # the deadline's own position
    assert f"test-plan.yaml:9:{column}: [sections[0].measures[0].{field}] 缺少必填字段“text”" in report
    assert "措施缺少" not in report


def test_a_misspelt_field_inside_a_deadline_is_blamed_on_it(tmp_path):
    report = errors_of(tmp_path, "sections:\n  - measures:\n      - text: 甲\n        deadline: {text: 年底前, dat: 2021}\n")
    assert "[sections[0].measures[0].deadline.dat] 未知字段“dat”（unknown field）；您是否想写 date" in report


def test_errors_are_data_the_overlay_and_tools_can_act_on(tmp_path):
    """A misspelt key is an `unknown-field` error with its suggestion as data (the message is only
    its wording); the `required` error it causes is dropped by looking at that data, not the text."""
    from generator import content as content_stage
    from generator.errors import BuildFailed

    root = make_content(tmp_path, "sections:\n  - measures:\n      - {txet: 甲}\n")
    plan = root / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: 测试计划", "titel: 测试计划"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        content_stage.load(root)
    found = {(error.kind, error.field, error.subject, error.suggestions) for error in failed.value.errors}
    assert ("unknown-field", "titel", "titel", ("title",)) in found
    assert ("unknown-field", "sections[0].measures[0].txet", "txet", ("text",)) in found
    assert not any(error.kind == "required" and error.subject in ("title", "text") for error in failed.value.errors)
    assert failed.value.errors[0].as_dict()["suggestions"] in (["title"], ["text"])


def test_a_misspelt_field_hides_only_the_field_it_misspells(tmp_path):
    """`titel:` explains the missing title, not a missing kind: each `required` error is about
    the one field its message names."""
    root = make_content(tmp_path, "sections:\n  - measures:\n      - {text: 甲}\n")
    plan = root / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("title: 测试计划", "titel: 测试计划")
    plan.write_text(re.sub(r"\nkind: .*", "", text), encoding="utf-8")
    result = run_main("check", "--content", str(root))
    assert "未知字段“titel”（unknown field）；您是否想写 title？" in result.stderr
    assert "缺少必填字段“kind”" in result.stderr and "缺少必填字段“title”" not in result.stderr
