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

from .draft import Qualified, Responsibility
from .findings import Finding, cut
from .names import AMBIGUOUS, ELSEWHERE, NO_SUB_UNIT, UNKNOWN, Names

# The words documents use after the names they give a role to, each with that role. Matched
# longest first, so 配合落实 wins over 落实 and 负责落实 over 落实. docs/importing.md lists them.
ROLE_WORDS = sorted([
    ("分别牵头落实", "each_lead"), ("分别负责落实", "each_lead"), ("分别牵头", "each_lead"),
    ("分别负责", "each_lead"), ("分别主办", "each_lead"), ("分别落实", "each_lead"),
    ("牵头负责", "lead"), ("牵头落实", "lead"), ("负责落实", "lead"), ("牵头", "lead"), ("主办", "lead"),
    ("负责", "lead"), ("主责", "lead"),
    ("配合落实", "support"), ("配合", "support"), ("协办", "support"), ("协助", "support"), ("参与", "support"),
    ("会办", "support"), ("协同", "support"),
    ("按职责分工负责", "implement"), ("按职责分工落实", "implement"), ("按照职能落实", "implement"),
    ("按照职责落实", "implement"), ("按照要求落实", "implement"), ("按职责落实", "implement"),
    ("按职能落实", "implement"), ("按要求落实", "implement"), ("抓好落实", "implement"), ("具体落实", "implement"),
    ("落实", "implement"),
    ("参照落实", "follow"), ("参照执行", "follow"),
    ("汇总上报", "compile"), ("汇总", "compile"),
], key=lambda pair: -len(pair[0]))
# Words between two names: the name before leads, the one after supports (宣传处会办公室).
JOINING_WORDS = ("会同", "会")
GENERIC_WORDS = {"lead": "牵头", "each_lead": "分别牵头", "support": "配合", "implement": "落实",
                 "follow": "参照落实", "compile": "汇总"}
ROLE_ORDER = ("listed", "lead", "each_lead", "support", "implement", "follow", "compile")
_CLAUSES = re.compile(r"[，,；;。\n]+")
_NAME_SEPARATORS = re.compile(r"[、/／\s]+")
_KEYED = re.compile(r"(.{1,8}?)[:：](.*)")
_BRACKETED_ROLE = re.compile(r"(.+?)[（(]([^（）()]{1,8})[）)]")
_PLACEHOLDER = re.compile(r"[\W_]+|无|暂无")  # —, ／, 无: a cell left without a unit
_KEY_NOUNS = re.compile(r"(单位|处室|科室|股室|部门|责任人)$")
_TRAILING = ("等有关单位", "等有关部门", "等相关单位", "等相关部门", "等部门", "等单位", "等")  # 各科室等: names end before
# A sentence in a cell (or bracket) that states which names lead: the first listed, or those
# before the first comma. Found by its key words, then widened to its sentence: linear in the text.
FIRST_LISTED_KEYS = ("排在第一位", "排第一位", "排在首位", "排名第一", "列第一位", "排位第一", "位列第一", "第一个")
BEFORE_COMMA_KEYS = ("逗号前", "分号前")
_SENTENCE_ENDS = "。；;（）()"


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
        if (tail and head and not names.known(strip_role(tail + head)) and names.known(strip_role(tail))
                and names.known(strip_role(head))):
            joined.append(line)
        else:
            joined[-1] = before + line
    return "\n".join(joined)


def strip_role(text: str) -> str:
    text = _without_trailing(text)[0]
    word, _ = _ending_word(text)
    return text[: -len(word)] if word else text


def _ending_word(text: str) -> tuple[str, str]:
    """The role word `text` ends with, after at least one character of name, and its role."""
    for word, role in ROLE_WORDS:
        if text.endswith(word) and len(text) > len(word):
            return word, role
    return "", ""


def _without_trailing(text: str) -> tuple[str, bool]:
    """市财政局等有关部门 → (市财政局, True): the names end before 等."""
    for tail in _TRAILING:
        if text.endswith(tail) and len(text) > len(tail):
            return text[: -len(tail)], True
    return text, False


def rule_sentence(text: str) -> tuple[str, str]:
    """("first" or "comma", the sentence) where `text` states which listed names lead
    (排在第一位的为牵头单位; 逗号前的为牵头单位), else ("", ""). Found by key words and widened
    to the sentence around them, so it takes time in proportion to the text."""
    for kind, keys in (("comma", BEFORE_COMMA_KEYS), ("first", FIRST_LISTED_KEYS)):
        at = min((found for found in (text.find(key) for key in keys) if found >= 0), default=-1)
        if at < 0:
            continue
        start = max(text.rfind(mark, 0, at) for mark in _SENTENCE_ENDS + "，,") + 1
        ends = [found for found in (text.find(mark, at) for mark in _SENTENCE_ENDS) if found >= 0]
        end = min(ends, default=len(text))
        sentence = text[start:end].strip()
        if "牵头" in sentence:
            return kind, sentence
    return "", ""


def read_cell(text: str, names: Names, column: ColumnRole, marker: bool = False) -> ReadCell:
    """The cell as roles. `marker`: the text is the inside of an inline （牵头处室：X） marker,
    which stays in the measure's text, so no as_written is kept."""
    written = join_unit_lines(text, names)
    result = ReadCell(Responsibility())
    rule, sentence = rule_sentence(written)
    body = written.replace(sentence, "", 1) if rule else written
    beyond_names = bool(rule)
    named: list[tuple[str, str, str | None, int]] = []  # (name, role, the document's word or None, clause)
    for number, clause in enumerate(c.strip() for c in _CLAUSES.split(body)):
        if not clause:
            continue
        role, word, names_text, keyed = _keyed_clause(clause, column)
        beyond_names |= keyed
        for name, own_role, own_word, beyond in names_in_clause(names_text, names):
            beyond_names |= beyond or own_word is not None
            named.append((name, own_role or role, own_word if own_word is not None else word, number))
    first_clause = min((number for *_, number in named), default=0)
    for index, (name, role, word, number) in enumerate(named):
        if rule and word is None:  # the cell's own rule gives the roles of names without a word
            leads = number == first_clause if rule == "comma" else index == 0
            role, word = ("lead", None) if leads else ("support", None)
        own = _bracketed_role(name)
        if own:  # 市发展改革局（牵头）: the role of this one name
            name, role, word = own
            beyond_names = True
        beyond_names |= _add_name(result, name, role, word or (column.word if role == column.role else ""), names)
    given = [word is not None for *_, word, _ in named]
    if not rule and any(given) and not all(given):
        result.findings.append(Finding("", f"“{cut(written)}”中有的名称没有写明角色，按本栏的默认角色（{column.word or GENERIC_WORDS.get(column.role, '牵头')}）导入"
                                           "（ambiguous role: a name without a role word）", kind="role"))
    if beyond_names and not marker:
        result.responsibility.as_written = written
    return result


def _keyed_clause(clause: str, column: ColumnRole) -> tuple[str, str | None, str, bool]:
    """(role, word, the names, whether a key gave the role) of 牵头单位：A、B; a clause without
    a key has the column's role and no word."""
    keyed = _KEYED.fullmatch(clause)
    if keyed:
        key = _KEY_NOUNS.sub("", keyed[1].strip())
        for word, role in ROLE_WORDS:
            if key == word:
                return role, word, keyed[2].strip(), True
        if key == "责任":
            return ("listed" if column.role == "listed" else "lead"), None, keyed[2].strip(), True
    return column.role, None, clause, False


def names_in_clause(text: str, names: Names) -> list[tuple[str, str, str | None, bool]]:
    """The names of a clause, each with the role its own word gives (or "" and None): a word
    after a name closes the run of names before it (A、B牵头、C配合: A and B lead, C supports);
    a joining word between two names makes the first lead and the second support."""
    found: list[tuple[str, str, str | None, bool]] = []
    pending: list[tuple[str, bool]] = []
    for segment in (part for part in _NAME_SEPARATORS.split(text) if part and not _PLACEHOLDER.fullmatch(part)):
        joined = _joined(segment, names)
        if joined:
            found += [(name, "", None, beyond) for name, beyond in pending] + joined
            pending = []
            continue
        word, role = _ending_word(segment)
        name, trailing = _without_trailing(segment[: -len(word)] if word else segment)
        if word:
            found += [(earlier, role, word, beyond) for earlier, beyond in pending] + [(name, role, word, trailing)]
            pending = []
        else:
            pending.append((name, trailing))
    return found + [(name, "", None, beyond) for name, beyond in pending]


def _joined(segment: str, names: Names) -> list[tuple[str, str, str | None, bool]]:
    """宣传处会办公室, 市财政局会同市审计局: (first, lead), (second, support). 会 alone joins only
    two known names (委员会, 工会 hold it too)."""
    for word in JOINING_WORDS:
        at = segment.find(word, 1)
        while 0 < at < len(segment) - len(word):
            before, after = segment[:at], segment[at + len(word):]
            if word != "会" or names.known(before) and names.known(strip_role(after)):
                tail, role = _ending_word(after)  # 会同 is not a role's word: none is kept ("")
                return [(before, "lead", "", True), (after[: -len(tail)] if tail else after, role or "support", tail, True)]
            at = segment.find(word, at + 1)
    return []


def _bracketed_role(name: str) -> tuple[str, str, str] | None:
    found = _BRACKETED_ROLE.fullmatch(name)
    if found:
        for word, role in ROLE_WORDS:
            if found[2] == word:
                return found[1].strip(), role, word
    return None


def _add_name(result: ReadCell, name: str, role: str, word: str, names: Names) -> bool:
    """Add one name under its role; True when the cell says more than the names."""
    responsibility = result.responsibility
    if word and GENERIC_WORDS.get(role) != word and role != "listed":
        if responsibility.words.get(role, word) != word:
            result.findings.append(Finding("", f"同一单元格中“{GENERIC_WORDS[role]}”一类的角色用了不同的词"
                                               f"（{responsibility.words[role]}、{word}），只记下了第一个（two words for one role）", kind="role"))
        else:
            responsibility.words[role] = word
    match = names.look(name)
    beyond = False
    written: str | Qualified = name
    if match.kind == UNKNOWN or match.kind == NO_SUB_UNIT:
        outer = names.outer(name)
        if outer:
            result.findings.append(Finding("", f"括号中的单位未登记为“{outer}”的下级单位，按“{outer}”导入，整格记在 as_written"
                                               f"（sub-unit in brackets not registered: imported as {outer}）", kind="unknown-unit"))
            written, beyond = outer, True
        else:
            prefix = names.known_prefix(name)
            if prefix:
                result.findings.append(Finding("", f"“{cut(name[len(prefix):])}”不是已知的角色用词，“{prefix}”按本栏的默认角色导入"
                                                   f"（role word not recognised）", kind="role"))
                written, beyond = prefix, True
            else:
                names.unknown.append(name)
                close = names.suggestions(name)
                hint = f"；最接近的登记名称：{'、'.join(close)}" if close else ""
                result.findings.append(Finding("", f"单位名称“{cut(name)}”在登记册（content/registry/）中找不到（unknown unit）{hint}", kind="unknown-unit"))
    elif match.kind == AMBIGUOUS:
        options = "、".join(f"{unit.display_name}（{unit.id}）" for unit in match.candidates)
        result.findings.append(Finding("", f"单位名称“{cut(name)}”有歧义，可能是：{options}（ambiguous unit）", kind="ambiguous-unit"))
    elif match.kind == ELSEWHERE:
        if len(match.candidates) == 1:
            unit = match.candidates[0]
            written = Qualified(name, unit.id)
            result.findings.append(Finding("", f"“{name}”不在发布机构可直接称呼的范围内，已写成登记册中的 {unit.display_name}（{unit.id}），请核对"
                                               f"（outside the issuer's scope: pinned to {unit.id}）", kind="outside-scope"))
        else:
            options = "、".join(f"{unit.display_name}（{unit.id}）" for unit in match.candidates)
            result.findings.append(Finding("", f"“{name}”不在发布机构可直接称呼的范围内；登记册中有：{options}"
                                               "（outside the issuer's scope）", kind="outside-scope"))
    responsibility.roles.setdefault(role, []).append(written)
    return beyond
