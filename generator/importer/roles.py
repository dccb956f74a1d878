"""A responsibility cell read into roles, in the document's own words.

`综合科牵头，各科室按职能落实。` becomes lead 综合科 and implement 各科室 with the words the
document used (按职能落实), and keeps the cell as written. The cell is split into clauses at
Chinese punctuation; each clause is names followed by a role word (办公室、法规处牵头), or a
role word with a colon before the names (牵头单位：办公室). Names without a word take the
column's role (a 牵头单位 column: lead; 配合单位: support). Nothing is guessed silently: a name
the registry does not know, a word that is not a role, a clause without a word in a cell that
has words elsewhere all become findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .draft import Finding, Qualified, Responsibility
from .names import AMBIGUOUS, ELSEWHERE, NO_SUB_UNIT, UNKNOWN, Names

# The words documents use, each with the role it gives; longest first so 配合落实 wins over 落实.
ROLE_WORDS = sorted([
    ("分别牵头", "each_lead"), ("分别负责", "each_lead"), ("分别主办", "each_lead"), ("分别落实", "each_lead"),
    ("牵头负责", "lead"), ("牵头落实", "lead"), ("牵头", "lead"), ("主办", "lead"), ("负责", "lead"),
    ("配合落实", "support"), ("配合", "support"), ("协办", "support"), ("协助", "support"), ("参与", "support"),
    ("按职责分工负责", "implement"), ("按职责分工落实", "implement"), ("按照职能落实", "implement"),
    ("按照职责落实", "implement"), ("按照要求落实", "implement"), ("按职责落实", "implement"),
    ("按职能落实", "implement"), ("按要求落实", "implement"), ("负责落实", "implement"), ("抓好落实", "implement"),
    ("落实", "implement"),
    ("参照落实", "follow"), ("参照执行", "follow"),
    ("汇总上报", "compile"), ("汇总", "compile"),
], key=lambda pair: -len(pair[0]))
GENERIC_WORDS = {"lead": "牵头", "each_lead": "分别牵头", "support": "配合", "implement": "落实",
                 "follow": "参照落实", "compile": "汇总"}
ROLE_ORDER = ("listed", "lead", "each_lead", "support", "implement", "follow", "compile")
_CLAUSES = re.compile(r"[，,；;。\n]+")
_NAME_SEPARATORS = re.compile(r"[、/／\s]+")
_KEYED = re.compile(r"(.{1,8}?)[:：](.*)")
_BRACKETED_ROLE = re.compile(r"(.+?)[（(]([^（）()]{1,8})[）)]")
_KEY_NOUNS = re.compile(r"(单位|处室|科室|股室|部门|责任人)$")
_TRAILING = "等"  # 各科室等: the names end before it


@dataclass
class ColumnRole:
    """What a name without a role word means in this column (or inline marker)."""

    role: str = "lead"
    word: str = ""


@dataclass
class ReadCell:
    responsibility: Responsibility
    findings: list[Finding] = field(default_factory=list)


def role_of_heading(heading: str, first_listed: bool = False) -> ColumnRole:
    """The role a units column gives bare names: 配合单位 support, 主办科室 lead (word 主办)…"""
    for word, role in ROLE_WORDS:
        if word in heading and role != "implement":
            own = "" if GENERIC_WORDS.get(role, "") in word else word  # 牵头落实单位: plain 牵头
            return ColumnRole("listed" if first_listed and role == "lead" else role, own)
    return ColumnRole("listed" if first_listed else "lead")


def join_unit_lines(text: str, names: Names) -> str:
    """Lines of a units cell: a name broken across lines is joined (产业政策与法制 / 科); a line
    break between two whole names is kept, as the only separator the cell gives."""
    lines = text.split("\n")
    joined = [lines[0]]
    for line in lines[1:]:
        before = joined[-1]
        tail = re.split(r"[、，,；;：:\s]", before)[-1]
        head = re.split(r"[、，,；;：:\s]", line)[0]
        if (tail and head and not names.known(_strip_role(tail + head)) and names.known(_strip_role(tail))
                and names.known(_strip_role(head))):
            joined.append(line)
        else:
            joined[-1] = before + line
    return "\n".join(joined)


def _strip_role(text: str) -> str:
    text = text.rstrip("等")
    for word, _ in ROLE_WORDS:
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)]
    return text


def read_cell(text: str, names: Names, column: ColumnRole, marker: bool = False) -> ReadCell:
    """The cell as roles. `marker`: the text is the inside of an inline （牵头处室：X） marker,
    which stays in the measure's text, so no as_written is kept."""
    written = join_unit_lines(text, names)
    result = ReadCell(Responsibility())
    beyond_names = False
    worded = []
    for clause in (c.strip() for c in _CLAUSES.split(written)):
        if not clause:
            continue
        role, word, names_text, keyed = _clause_role(clause, column)
        worded.append(word is not None or keyed)
        if word is None:
            role, word = column.role, column.word
        else:
            beyond_names = True
        if keyed:
            beyond_names = True
        if names_text.endswith(_TRAILING):
            names_text, beyond_names = names_text[: -len(_TRAILING)], True
        for name in (n for n in _NAME_SEPARATORS.split(names_text) if n):
            own = _bracketed_role(name)
            if own:  # 市发展改革局（牵头）: the role of this one name
                name, name_role, name_word = own
                beyond_names |= _add_name(result, name, name_role, name_word, names) or True
            else:
                beyond_names |= _add_name(result, name, role, word, names)
    if len(worded) > 1 and any(worded) and not all(worded):
        result.findings.append(Finding("", f"“{written}”中有的名称没有写明角色，按本栏的默认角色（{column.word or GENERIC_WORDS.get(column.role, '牵头')}）导入"
                                           "（ambiguous role: a name without a role word）"))
    if beyond_names and not marker:
        result.responsibility.as_written = written
    return result


def _bracketed_role(name: str) -> tuple[str, str, str] | None:
    found = _BRACKETED_ROLE.fullmatch(name)
    if found:
        for word, role in ROLE_WORDS:
            if found[2] == word:
                return found[1].strip(), role, word
    return None


def _clause_role(clause: str, column: ColumnRole) -> tuple[str, str | None, str, bool]:
    """(role, the document's word or None, the names, whether a 牵头单位： key gave the role)."""
    keyed = _KEYED.fullmatch(clause)
    if keyed:
        key = _KEY_NOUNS.sub("", keyed[1].strip())
        for word, role in ROLE_WORDS:
            if key == word:
                return role, word, keyed[2].strip(), True
        if key == "责任":
            return ("listed" if column.role == "listed" else "lead"), None, keyed[2].strip(), True
    for word, role in ROLE_WORDS:
        if clause.endswith(word) and len(clause) > len(word):
            return role, word, clause[: -len(word)].strip(), False
    return column.role, None, clause, False


def _add_name(result: ReadCell, name: str, role: str, word: str, names: Names) -> bool:
    """Add one name under its role; True when the cell says more than the names."""
    responsibility = result.responsibility
    if word and GENERIC_WORDS.get(role) != word and role != "listed":
        if responsibility.words.get(role, word) != word:
            result.findings.append(Finding("", f"同一单元格中“{GENERIC_WORDS[role]}”一类的角色用了不同的词"
                                               f"（{responsibility.words[role]}、{word}），只记下了第一个（two words for one role）"))
        else:
            responsibility.words[role] = word
    match = names.look(name)
    beyond = False
    written: str | Qualified = name
    if match.kind == UNKNOWN or match.kind == NO_SUB_UNIT:
        outer = names.outer(name)
        if outer:
            result.findings.append(Finding("", f"括号中的单位未登记为“{outer}”的下级单位，按“{outer}”导入，整格记在 as_written"
                                               f"（sub-unit in brackets not registered: imported as {outer}）"))
            written, beyond = outer, True
        else:
            prefix = names.known_prefix(name)
            if prefix:
                result.findings.append(Finding("", f"“{name[len(prefix):]}”不是已知的角色用词，“{prefix}”按本栏的默认角色导入"
                                                   f"（role word not recognised）"))
                written, beyond = prefix, True
            else:
                close = names.suggestions(name)
                hint = f"；最接近的登记名称：{'、'.join(close)}" if close else ""
                result.findings.append(Finding("", f"单位名称“{name}”在登记册（content/registry/）中找不到（unknown unit）{hint}"))
    elif match.kind == AMBIGUOUS:
        options = "、".join(f"{unit.display_name}（{unit.id}）" for unit in match.candidates)
        result.findings.append(Finding("", f"单位名称“{name}”有歧义，可能是：{options}（ambiguous unit）"))
    elif match.kind == ELSEWHERE:
        if len(match.candidates) == 1:
            unit = match.candidates[0]
            written = Qualified(name, unit.id)
            result.findings.append(Finding("", f"“{name}”不在发布机构可直接称呼的范围内，已写成登记册中的 {unit.display_name}（{unit.id}），请核对"
                                               f"（outside the issuer's scope: pinned to {unit.id}）"))
        else:
            options = "、".join(f"{unit.display_name}（{unit.id}）" for unit in match.candidates)
            result.findings.append(Finding("", f"“{name}”不在发布机构可直接称呼的范围内；登记册中有：{options}"
                                               "（outside the issuer's scope）"))
    responsibility.roles.setdefault(role, []).append(written)
    return beyond
