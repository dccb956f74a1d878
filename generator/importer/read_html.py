"""Read a saved web page (.html, .htm, or .mht, the page saved as one file): the plan table, the
text around it, and the 政府信息公开 metadata block that portal pages carry.

A portal page is mostly chrome: menus, a search box, breadcrumbs, the footer (网站地图, 版权所有,
ICP备…), scripts and styles, often laid out with tables inside tables. What is kept is what a
reader of the page sees as the document: headings and paragraphs in order, and the tables that
hold data (no table inside them, two rows of two cells at least). A table's rowspan and colspan
are expanded into the grid so that a spanning cell is one Cell at each position it covers, as
a merged cell of a Word table is; <br> and <p> inside a cell are line breaks.

The metadata (索引号, 发布机构, 文号, 成文日期 …), as a table of label and value cells or as
`label：value` lines, goes into Document.metadata, not into the text.
"""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import lxml.etree
import lxml.html

from ..errors import CannotBuild
from . import limits
from .source import Cell, Document, Paragraph, Row, Table, clean_lines, clean_title

SPAN_LIMIT = 1000  # rowspan/colspan beyond this is a broken page, not a table
DAMAGED = (lxml.etree.ParserError,)

# Never text of the document.
SKIPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
           "select", "button", "input", "textarea", "nav", "header", "footer", "aside", "map", "audio", "video"}
# A class or id made of these words marks navigation chrome.
CHROME_NAMES = {"nav", "navbar", "navigation", "menu", "footer", "foot", "breadcrumb", "breadcrumbs", "crumb",
                "share", "side", "sidebar", "toolbar", "topbar", "copyright", "banner", "search", "position", "location"}
CHROME_TEXT = re.compile(r"网站地图|版权所有|ICP备|ICP证|公网安备|网站标识码|主办单位[：:]|承办单位[：:]|技术支持[：:]|"
                         r"联系我们|关于我们|打印本页|关闭窗口|【打印】|【关闭】|字体[：:]|字号[：:]|分享到|扫一扫|"
                         r"当前位置[：:]|您现在的位置|您的位置[：:]|^首页\s*[>＞»]|^\[?\s*(打印|关闭|返回顶部)\s*\]?$")
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
          "main", "blockquote", "pre", "center", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "form",
          "body", "html", "caption", "address", "figure", "figcaption", "hr", "fieldset"}

# The labels of the disclosure metadata, as portals print them.
METADATA_LABELS = ("索引号", "发布机构", "发文机关", "发文字号", "文号", "成文日期", "发布日期", "公开日期", "生成日期",
                   "主题分类", "体裁分类", "组配分类", "有效性", "公开方式", "公开范围", "主题词", "废止日期",
                   "发布时间", "信息来源", "来源", "浏览次数", "访问量", "点击数", "阅读次数")
_LABELS = "(" + "|".join(r"\s*".join(label) for label in sorted(METADATA_LABELS, key=len, reverse=True)) + ")"
_LABEL = re.compile(_LABELS + r"\s*[:：]\s*")  # 索引号：… in running text
_BARE_LABEL = re.compile(_LABELS + r"\s*[:：]?")  # a cell holding just the label, its value in the next cell
_ANY_LABEL = re.compile(r"([^：:\n]{1,8}?)\s*[:：]\s*(.*)", re.DOTALL)  # 分类：… in a metadata table
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f]+")


def read(path: Path) -> Document:
    raw = path.read_bytes()  # reading.py has refused a file above limits.LIMITS.source_megabytes
    text = _html_of_archive(raw, path.name) if _is_archive(raw) else _decode(raw, path.name)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml takes no encoding declaration in a str
    if not text.strip():
        return Document(name=path.name)
    root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True))
    count = sum(1 for _ in root.iter())
    if count > limits.LIMITS.page_elements:
        raise CannotBuild("page-too-large", file=path.name, count=count, limit=limits.LIMITS.page_elements)
    page = _Page(path.name)
    page.walk(root.find("body") if root.find("body") is not None else root)
    page.flush()
    titles = root.xpath("//title")
    title = clean_title(titles[0].text_content()) if titles else ""
    return Document(name=path.name, blocks=page.blocks, title=re.split(r"\s*[_|｜]\s*|\s+[-—–]\s+", title)[0],
                    metadata=page.metadata)


def _is_archive(raw: bytes) -> bool:
    head = raw[:8192].lstrip().lower()
    return head.startswith((b"mime-version:", b"from:", b"content-type: multipart/related")) and b"multipart/related" in head


def _html_of_archive(raw: bytes, name: str) -> str:
    """The first HTML part of a page saved as one file (.mht, .mhtml: a MIME message)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset:
                try:
                    return payload.decode(charset)
                except (LookupError, UnicodeDecodeError):
                    pass
            return _decode(payload, name)  # no charset of its own: the page's meta charset tells
    raise CannotBuild("page-without-html", file=name)


def _decode(raw: bytes, name: str) -> str:
    """By the page's own charset, else UTF-8, else GB18030 (what GBK and GB2312 pages are read as)."""
    declared = _CHARSET.search(raw[:4096])
    tried = []
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        tried.append("gb18030" if charset.replace("-", "").replace("_", "") in ("gb2312", "gbk", "gb18030", "cp936", "xgbk") else charset)
    for encoding in [*tried, "utf-8", "gb18030"]:
        try:
            return raw.removeprefix(b"\xef\xbb\xbf").decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise CannotBuild("unknown-encoding", file=name)


def _is_chrome(element) -> bool:
    if element.tag in SKIPPED:
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return bool(CHROME_NAMES & set(re.split(r"[^a-z0-9]+", names)))


def _is_data_table(table) -> bool:
    """A table that holds data rather than the page's layout: no table inside it, and two rows
    of two cells at least."""
    if table.xpath(".//table"):
        return False
    rows = [row for row in table.iter("tr") if len(row.xpath("./td|./th")) >= 2]
    return len(rows) >= 2


class _Page:
    """Walks the page in document order, collecting paragraphs, data tables and metadata."""

    def __init__(self, name: str):
        self.name = name
        self.blocks: list[Paragraph | Table] = []
        self.metadata: dict[str, str] = {}
        self.line: list[str] = []
        self.unlinked = False  # whether the line holds text outside links
        self.paragraphs = self.tables = 0

    def walk(self, element, in_link: bool = False) -> None:
        if not isinstance(element.tag, str) or _is_chrome(element):
            return
        if element.tag == "table" and _is_data_table(element):
            self.flush()
            self.table(element)
            return
        if element.tag == "br":
            self.flush()
            return
        block = element.tag in BLOCKS
        if block:
            self.flush()
        in_link = in_link or element.tag == "a"
        self.add(element.text, in_link)
        for child in element:
            self.walk(child, in_link)
            self.add(child.tail, in_link)
        if block:
            self.flush()

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.line.append(text)
            self.unlinked = self.unlinked or not in_link and bool(text.strip())

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.line)).replace("\xa0", " ").replace("\u3000", " ")
        links_only = not self.unlinked
        self.line, self.unlinked = [], False
        text = clean_lines(text)
        # A line that is nothing but links is a menu or a list of other pages, not the document.
        if not text or links_only or CHROME_TEXT.search(text):
            return
        if self.take_metadata([text]):
            return
        self.paragraphs += 1
        self.blocks.append(Paragraph(text, f"第{self.paragraphs}段"))

    def take_metadata(self, texts: list[str], table: bool = False) -> bool:
        """`label：value` pairs into metadata, when the texts are such pairs and nothing else:
        a line of running text (索引号：… 发布机构：…), or the cells of a table, where a label
        may stand in a cell of its own with the value in the next, and any short text with a
        colon is a label (分类：, 名称：). True if the texts were taken."""
        found: dict[str, str] = {}
        pending = ""
        for text in texts:
            any_label = _ANY_LABEL.fullmatch(text) if table else None
            bare = _BARE_LABEL.fullmatch(text)
            if any_label and not any_label.group(2):
                bare = any_label
            if bare and not pending:
                pending = re.sub(r"\s+", "", bare.group(1))
                continue
            if any_label and not pending:
                found[re.sub(r"\s+", "", any_label.group(1))] = any_label.group(2).strip()
                continue
            pieces = list(_LABEL.finditer(text))
            if not pieces or pieces[0].start() != 0 or pending:
                if not pending:
                    return False
                found[pending], pending = text, ""
                continue
            for piece, following in zip(pieces, pieces[1:] + [None]):
                label = re.sub(r"\s+", "", piece.group(1))
                value = text[piece.end():following.start() if following else len(text)].strip()
                if value:
                    found[label] = value
                else:
                    pending = label
        if not found or len(texts) == 1 and len(found) == 1 and len(texts[0]) > 80:
            return False
        for label, value in found.items():
            self.metadata.setdefault(label, value)
        return True

    def table(self, element) -> None:
        grid = _grid(element, self.name)
        texts = [cell.text for row in grid for cell in dict.fromkeys(row) if cell.text]
        known = sum(bool(_LABEL.match(text) or _BARE_LABEL.fullmatch(text)) for text in texts)
        if known >= 2 and self.take_metadata(texts, table=True):
            return
        if any(CHROME_TEXT.search(text) for text in texts):
            return
        self.tables += 1
        rows = [Row(cells, f"表{self.tables}第{index + 1}行") for index, cells in enumerate(grid)
                if any(cell.text for cell in cells)]
        if rows:
            self.blocks.append(Table(rows, f"表{self.tables}"))


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), SPAN_LIMIT)
    except ValueError:
        return 1


def _grid(table, name: str) -> list[list[Cell]]:
    """The table's cells on a grid: a cell with rowspan or colspan is the same Cell at every
    position it covers; positions no cell covers are empty cells."""
    placed: dict[tuple[int, int], Cell] = {}
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for td in row.xpath("./td|./th"):
            while (r, c) in placed:
                c += 1
            cell = Cell(_cell_text(td))
            down = min(_span(td.get("rowspan")), len(rows) - r)
            across = _span(td.get("colspan"))
            if len(placed) + down * across > limits.LIMITS.table_cells:
                raise CannotBuild("import-table-too-large", file=name, where=f"第{r + 1}行", limit=limits.LIMITS.table_cells)
            for dr in range(down):
                for dc in range(across):
                    placed[(r + dr, c + dc)] = cell
            c += across
        width = max(width, c)
    return [[placed.get((r, c)) or Cell("") for c in range(width)] for r in range(len(rows))]


def _cell_text(td) -> str:
    """A cell's text with <br>, <p> and <div> as line breaks."""
    lines: list[str] = []

    def walk(element, line: list[str]) -> list[str]:
        if not isinstance(element.tag, str) or element.tag in SKIPPED:
            return line
        if element.tag == "br" or element.tag in BLOCKS and element is not td:
            lines.append("".join(line))
            line = []
        line.append(element.text or "" if element.tag != "br" else "")
        for child in element:
            line = walk(child, line)
            line.append(child.tail or "")
        if element.tag in BLOCKS and element is not td:
            lines.append("".join(line))
            line = []
        return line

    lines.append("".join(walk(td, [])))
    return clean_lines("\n".join(_SPACES.sub(" ", line).replace("\xa0", " ").replace("\u3000", " ") for line in lines))
