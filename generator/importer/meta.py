"""The plan's title, kind, issuer, year and id, from the document and the command line.

The title is the document's own (a line before the table, or the file's title property, else
the file name, reported); the issuer is the registry name the title starts with, unless --issuer says otherwise; the year is
the first 20xx年 of the title, unless --year says otherwise. What cannot be told is a message
asking for the option, never a guess.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from ..errors import CannotBuild
from ..model import Unit
from .findings import Finding
from .source import Document, Paragraph, clean_title

# The words of a title that name its kind, and the kind each names (the schema's enum).
KIND_WORDS = {"分工方案": "分工方案", "分工表": "分工方案", "任务分工": "分工方案", "任务分解": "分工方案",
              "分解表": "分工方案", "责任分工": "分工方案", "实施方案": "实施方案", "工作方案": "实施方案",
              "任务清单": "任务清单", "责任清单": "任务清单", "工作要点": "工作要点", "台账": "台账", "通知": "通知"}
TITLE_WORDS = ("方案", "要点", "清单", "台账", "通知", "计划", "报告", "安排", "分工", "任务", "情况")
_INNER_TITLE = re.compile(r"《([^《》]{4,80})》")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年(?:度)?")
_PLACE = re.compile(r"(.{1,10}?(?:省|自治区|市|自治州|州|盟|县|自治县|旗|区))(?=(?:19|20)\d{2}|政务|关于|贯彻|落实|全面|推进|年度)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# The first line of a title broken over two: a body's name, or the words before the year.
_TITLE_START = re.compile(r"[^。；;，,：:\s]{2,24}(?:局|委|委员会|办|办公室|厅|政府|中心|院|部|(?:19|20)\d{2}年度?[^。；;，,]{0,12})")


def looks_like_title(text: str) -> bool:
    return (len(text) <= 80 and "\n" not in text and any(word in text for word in TITLE_WORDS)
            and not text.endswith(("。", "；", "：", ":")))


def document_title(document: Document) -> tuple[str, Finding | None]:
    """The document's title: a title-like paragraph or table row before the plan (with the line
    above it when the title is broken over two, 江北县卫生健康局 / 2021年政务公开工作要点), the
    file's title property, else the file name (reported)."""
    for index, block in enumerate(document.blocks[:8]):
        candidates = [block.text] if isinstance(block, Paragraph) else [
            filled[0].text.replace("\n", "") for filled in (
                [cell for cell in dict.fromkeys(row.cells) if cell.text] for row in block.rows[:3])
            if len(filled) == 1]
        for text in candidates:
            if looks_like_title(text.replace("\n", "")):
                above = document.blocks[index - 1] if index and isinstance(block, Paragraph) else None
                if isinstance(above, Paragraph) and _TITLE_START.fullmatch(above.text):
                    return above.text + text.replace("\n", ""), None
                return text.replace("\n", ""), None
    if document.title:
        return document.title, None
    stem = clean_title(Path(document.name).stem) or "未命名"
    return stem, Finding("title", f"文件中找不到标题，暂用文件名“{stem}”（title taken from the file name）", kind="title")


def part_of_title(paragraph: Paragraph, title: str) -> bool:
    """A line the title was joined from (its first or second half)."""
    text = paragraph.text.replace("\n", "")
    return len(text) < len(title) and (title.startswith(text) and _TITLE_START.fullmatch(text) or title.endswith(text))


def kind_of(title: str) -> str:
    """The kind the title names, the last one written (…工作要点分工方案 is a 分工方案)."""
    inner = _INNER_TITLE.search(title)
    if inner and kind_of(inner[1]):  # 关于印发《…工作要点分工方案》的通知: the plan it sends
        return kind_of(inner[1])
    if "落实情况" in title or "完成情况" in title:  # …落实情况台账 too: a report on progress
        return "落实情况报告"
    found = [(title.rfind(word), len(word), kind) for word, kind in KIND_WORDS.items() if word in title]
    return max(found)[2] if found else ""


def year_of(title: str) -> int | None:
    found = _YEAR.search(title)
    return int(found[1]) if found else None


def issuer_in(title: str, registry, publisher: str = "") -> Unit | None:
    """The body whose name (or alias, or former name) the title starts with, the longest first;
    a title that starts with a place only (南岭市2018年政务公开工作要点, 2018年南岭市…) is that
    place's government, when the registry has exactly one 南岭市人民政府; else the 发布机构 a web
    page gives (`publisher`), when the registry knows it by that name. A notice without its
    sender in front (关于印发《南岭市2018年政务公开工作要点》的通知) is read by the title it sends."""
    inner = _INNER_TITLE.search(title)
    if inner and title.startswith(("关于", "《")):
        title = inner[1]
    title = _LEADING_YEAR.sub("", title)
    best: tuple[int, Unit] | None = None
    for name, units in registry.by_name.items():
        departments = [unit for unit in units if unit.is_department]
        if title.startswith(name) and len(departments) == 1 and (best is None or len(name) > best[0]):
            best = (len(name), departments[0])
    if best:
        return best[1]
    place = _PLACE.match(title)
    if place:
        governments = [unit for unit in registry.by_name.get(place[1] + "人民政府", []) if unit.is_department]
        if len(governments) == 1:
            return governments[0]
    if publisher:
        departments = [unit for unit in registry.by_name.get(publisher, []) if unit.is_department]
        return departments[0] if len(departments) == 1 else None
    return None


def issuer_of(title: str, option: str | None, registry, publisher: str = "") -> Unit:
    """The --issuer option's unit, else the one the title (or the page's 发布机构) names."""
    unit = issuer_named(option, registry) if option else issuer_in(title, registry, publisher)
    if unit is None:
        raise CannotBuild("issuer-not-in-title", title=title)
    return unit


def plan_year(option: int | None, title: str, file_stem: str) -> int:
    """--year, else the title's first 20xx年, else the file name's, within 1990–2100."""
    year = option or year_of(title) or year_of(file_stem)
    if year is None:
        raise CannotBuild("year-not-in-title", title=title)
    if not 1990 <= year <= 2100:
        raise CannotBuild("year-out-of-range", year=year)
    return year


def issuer_as_titled(title: str, unit: Unit) -> str:
    """The issuer as the title names it (a former name in an old plan), else its registry name."""
    names = [unit.name, *unit.aliases] + [n for f in unit.former_names for n in [f["name"], *f.get("aliases", [])]]
    starting = [name for name in names if title.startswith(name)]
    full = [name for name in starting if name == unit.name or any(name == f["name"] for f in unit.former_names)]
    return (full or [unit.name])[0]


def issuer_named(name: str, registry) -> Unit:
    unit = registry.find(name)
    if unit is None:
        raise CannotBuild("unknown-issuer-option", registry.suggestions(name, None), name=name)
    return unit


def plan_id(issuer: Unit, year: int) -> str:
    """zs-jrj-2022: the issuer's registry id and the year (ids are ASCII, see the schema)."""
    base = re.sub(r"[^a-z0-9]+", "-", issuer.id.lower()).strip("-") or "plan"
    return f"{base}-{year}"


# The disclosure metadata a web page carries (read_html.py), by the labels portals print, and the
# plan field each fills; 发布机构 names the issuer when the title does not.
PUBLISHER_LABELS = ("发布机构", "发文机关")
METADATA_FIELDS = {"文号": "document_number", "发文字号": "document_number", "索引号": "index_number",
                   "主题分类": "topic", "体裁分类": "genre", "成文日期": "written", "发布日期": "published",
                   "发布时间": "published", "有效性": "validity"}
VALIDITY = ("有效", "失效", "废止", "已修订")  # the schema's enum
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")


def publisher(metadata: dict[str, str]) -> str:
    return next((metadata[label] for label in PUBLISHER_LABELS if metadata.get(label)), "")


def date_of(text: str) -> str:
    """2022-03-01 from 2022-03-01, 2022年3月1日, 2022/3/1 or 2022.03.01 (a time after it
    ignored), if it is a day on the calendar; else ""."""
    found = _DATE.match(text.strip())
    if not found:
        return ""
    try:
        return datetime.date(*map(int, found.groups())).isoformat()
    except ValueError:
        return ""


def disclosure(metadata: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The plan fields the metadata fills (document_number, index_number, topic, genre, written,
    published, validity) and, for a value that does not fit the schema, a note for the editor
    with the finding that asks to look at it."""
    fields: dict[str, str] = {}
    notes: list[tuple[str, str]] = []
    for label, value in metadata.items():
        name = METADATA_FIELDS.get(label)
        value = " ".join(value.split())
        if name is None or not value or name in fields:
            continue
        if name in ("written", "published"):
            date = date_of(value)
            if date:
                fields[name] = date
                continue
        elif name == "validity" and value not in VALIDITY:
            pass
        else:
            fields[name] = value
            continue
        notes.append((f"网页的公开信息中{label}为“{value}”。",
                      f"{label}“{value}”不符合计划格式（{'dates.' if name in ('written', 'published') else ''}{name}），"
                      "没有填入，只记在编者说明中：请核对后填写该字段并删去这条说明（metadata value does not fit the schema）"))
    return fields, notes
