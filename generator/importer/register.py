"""`build.py import FILE --register`: start from a document whose body is not registered yet.

Without a registry entry for the issuer, an import cannot begin, and an editor should not have
to write one by hand first. With --register the importer writes a draft registry file for the
issuer and for every unit the document names that the registry does not know, then imports the
plan against it. Each guess is a `# 待核` comment in that file, as in a draft plan:

- the issuer: the name given with --issuer, else the title's words before the year
  (江北县卫生健康局2021年… → 江北县卫生健康局), else a web page's 发布机构; an issuer already
  registered is used as it is;
- its parent: --parent, else the registered government of the place the name starts with
  (江北县人民政府), else a new government of that place (reported);
- each unknown name: 各科室, 相关部门 … a collective; a name with a level or the place in front
  (县财政局, 市发展改革委) a department of the same government, with the short form kept as an
  alias and the place written out (县财政局 → 江北县财政局, reported); anything else
  (办公室, 医政医管股) one of the issuer's own sections.

Nothing existing is changed: the new files are written beside the others, never over one.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..content import load_registry
from ..errors import BuildFailed, CannotBuild
from ..model import Unit
from . import meta
from .writer import REVIEW_MARK, scalar

_LEVELS = "省市州盟县旗区镇乡"
_BODY_ENDINGS = re.compile(r"(局|委|委员会|办|办公室|厅|院|部|会|中心|政府|公司|集团|行|队|所|站|馆|社|署)$")
_COLLECTIVE = re.compile(r"^(各|相关|有关|其他|其余)|(各部门|各单位|有关部门|有关单位|相关部门|相关单位)$")
_PLACE = re.compile(rf"^(.{{1,8}}?[{_LEVELS}])")


@dataclass
class NewUnit:
    name: str
    kind: str
    id: str = ""
    aliases: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the guesses the editor must check
    children: list[NewUnit] = field(default_factory=list)
    children_note: str = ""  # one guess about all its children


@dataclass
class RegistryFile:
    """One file to write: units under an existing parent (or at the top), and collectives."""

    path: Path
    parent: Unit | None
    units: list[NewUnit] = field(default_factory=list)
    collectives: list[str] = field(default_factory=list)


class Registration:
    """The units a document needs registered, guessed, and the files that register them."""

    def __init__(self, registry, content_dir: Path, title: str, issuer: str | None, parent: str | None, source: str,
                 publisher: str = "", new_parent: str | None = None, heading: str = ""):
        """`new_parent`: the name of a parent not registered yet, registered with the issuer (zwgk
        init); `heading`: the files' first comment, if not that of an import."""
        self.content_dir, self.source, self.heading = content_dir, source, heading
        self.registry = registry
        self.known_issuer = (meta.issuer_named(issuer, registry) if issuer and registry.find(issuer)
                             else None if issuer else meta.issuer_in(title, registry, publisher))
        self.issuer_name = issuer or (self.known_issuer.name if self.known_issuer
                                      else _name_in_title(title) or publisher)
        if not self.issuer_name:
            raise CannotBuild("register-no-issuer", title=title)
        place = _PLACE.match(self.issuer_name)
        self.place = place[1] if place else ""
        self.government = self._government(parent)
        self.new_government: NewUnit | None = None
        self.new_issuer: NewUnit | None = None
        if self.known_issuer is None:
            self.new_issuer = NewUnit(self.issuer_name, "government" if self.issuer_name.endswith("人民政府") else "department",
                                      id=self._fresh_id(self.issuer_name))
            if self.government is None and new_parent:
                kind = "government" if new_parent.endswith("人民政府") else "department"
                self.new_government = NewUnit(new_parent, kind, id=self._fresh_id(new_parent))
            elif self.government is None and self.new_issuer.kind != "government" and self.place:
                self.new_government = NewUnit(f"{self.place}人民政府", "government", id=self._fresh_id(self.place))
                self.new_government.notes.append(f"登记册中没有{self.place}人民政府，按发布机构名称中的地名新建为上级机关：请核对，"
                                                 "如已有上级机关，删去这一层并在文件开头写 parent: <其 id>")
            elif self.government is None:
                self.new_issuer.notes.append("没有找到上级机关，登记为最上一级：如有上级机关，用 --parent 指定或在文件开头写 parent")
        self.sections: list[NewUnit] = []
        self.departments: list[NewUnit] = []
        self.collectives: list[str] = []

    def _government(self, parent: str | None) -> Unit | None:
        if parent:
            found = self.registry.find(parent)
            if found is None:
                raise CannotBuild("unknown-parent-option", self.registry.suggestions(parent, None), name=parent)
            return found
        if self.known_issuer is not None:
            return self.known_issuer if self.known_issuer.kind == "government" else self.known_issuer.parent
        found = self.registry.find(f"{self.place}人民政府") if self.place else None
        return found if found is not None and found.kind == "government" else None

    def _fresh_id(self, name: str) -> str:
        """A short id from the name's initials (江北县卫生健康局 → jbx-wsjkj), unused so far."""
        from pypinyin import Style, lazy_pinyin

        place = _PLACE.match(name)
        pieces = [place[1], name[len(place[1]):]] if place and len(name) > len(place[1]) else [name]
        if place and name[len(place[1]):] in ("", "人民政府"):
            pieces = [place[1]]  # 南岭市人民政府 → nls
        base = "-".join(re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(p, style=Style.FIRST_LETTER)).lower()) or "unit"
                        for p in pieces)
        taken = set(self.registry.by_id) | {u.id for u in (getattr(self, "new_government", None),
                                                             getattr(self, "new_issuer", None)) if u}
        unit_id, number = base, 2
        while unit_id in taken:
            unit_id, number = f"{base}-{number}", number + 1
        return unit_id

    @property
    def issuer_is_government(self) -> bool:
        issuer = self.known_issuer or self.new_issuer
        return issuer.kind == "government"

    def add(self, names: list[str]) -> None:
        """Place each name the document uses that the registry does not know."""
        seen = {unit.name for unit in self.sections + self.departments} | set(self.collectives)
        candidates = set(names) | seen
        for name in dict.fromkeys(names):
            if name in seen or not name or _joins_two(name, candidates, self.registry):
                continue  # 宣传股会办公室: two units the next reading tells apart once both are registered
            seen.add(name)
            if self.new_issuer is not None and self._issuer_short_form(name):
                self.new_issuer.aliases.append(name)
                self.new_issuer.notes.append(f"文中的“{name}”按发布机构的简称记在 aliases：请核对")
            elif _COLLECTIVE.search(name):
                self.collectives.append(name)
            elif self.issuer_is_government or self._looks_like_department(name):
                self.departments.append(self._department(name))
            else:
                self.sections.append(_bracketed(NewUnit(name, "section")))

    def _issuer_short_form(self, name: str) -> bool:
        """县卫生健康局, 卫生健康局 for 江北县卫生健康局."""
        rest = self.issuer_name[len(self.place):] if self.place else self.issuer_name
        return name in (rest, self.place[-1:] + rest) and name != self.issuer_name

    def _looks_like_department(self, name: str) -> bool:
        prefixed = name[0] in _LEVELS or self.place and name.startswith(self.place)
        return bool(prefixed and _BODY_ENDINGS.search(name) and len(name) > 2)

    def _department(self, name: str) -> NewUnit:
        level = self.place[-1:] if self.place else ""
        if self.place and name.startswith(level) and not name.startswith(self.place):
            full = self.place + name[1:]
            unit = NewUnit(full, "department", aliases=[name])
            unit.notes.append(f"文中写作“{name}”，按地名补全为“{full}”，简称记在 aliases：请核对全称")
        else:
            unit = NewUnit(name, "department")
            unit.notes.append("按同级政府的部门登记：请核对全称和上级机关")
        return unit

    # -- the files ----------------------------------------------------------------------------

    def files(self) -> list[RegistryFile]:
        folder = self.content_dir / "registry"
        issuer_known = self.known_issuer is not None
        files: list[RegistryFile] = []
        if self.new_issuer is not None:
            self.new_issuer.children = list(self.sections)
            if self.sections:
                self.new_issuer.children_note = (f"以下 {len(self.sections)} 个单位按{self.issuer_name}的内设机构登记："
                                                 "如有别的机关的单位，移到它的下面")
            top = [self.new_issuer] + ([] if self.issuer_is_government else self.departments)
            if self.issuer_is_government:
                self.new_issuer.children += self.departments
            if self.new_government is not None:
                self.new_government.children = top
                top = [self.new_government]
            files.append(RegistryFile(_free(folder, top[0].id), None if self.new_government else self.government,
                                      top, list(self.collectives)))
            return files
        if self.sections or self.collectives and not (self.issuer_is_government and self.departments):
            if self.sections:
                self.sections[0].notes.insert(0, f"以下 {len(self.sections)} 个单位按{self.issuer_name}的内设机构登记："
                                                 "如有别的机关的单位，移到它的下面")
            files.append(RegistryFile(_free(folder, f"{self.known_issuer.id}-units"), self.known_issuer,
                                      list(self.sections), list(self.collectives)))
        if self.departments:
            parent = self.known_issuer if self.issuer_is_government else self.government
            collectives = [] if files else list(self.collectives)
            if parent is None:
                files.append(RegistryFile(_free(folder, "registered"), None, list(self.departments), collectives))
            else:
                files.append(RegistryFile(_free(folder, f"{parent.id}-units"), parent, list(self.departments), collectives))
        return [file for file in files if file.units or file.collectives] if issuer_known else files

    def texts(self) -> dict[Path, str]:
        heading = self.heading or f"由 build.py import --register 从 {self.source} 写出的登记册草稿"
        return {file.path: _text(file, heading) for file in self.files()}

    def load(self):
        """The registry with the new files in it, read from a private copy of registry/."""
        with tempfile.TemporaryDirectory(prefix="zwgk-register-") as folder:
            content = Path(folder) / "content"
            shutil.copytree(self.content_dir / "registry", content / "registry", symlinks=False)
            for path, text in self.texts().items():
                (content / "registry" / path.name).write_text(text, encoding="utf-8")
            try:
                return load_registry(content)
            except BuildFailed as failure:
                raise CannotBuild("registry-has-errors", errors="\n".join(str(error) for error in failure.errors)) from None

    @property
    def notes(self) -> list[str]:
        """Each guess as a line for the terminal."""
        lines = []
        for file in self.files():
            count = sum(1 for _ in _walk(file.units))
            lines.append(f"{file.path}：{count} 个单位、{len(file.collectives)} 个集合名称，每处猜测都有“待核”注释")
        return lines

    @property
    def issuer_id(self) -> str:
        return self.known_issuer.id if self.known_issuer else self.new_issuer.id


def _joins_two(name: str, candidates: set[str], registry) -> bool:
    """Whether `name` is two names joined by 会同 or 会, each to be registered or known."""
    for word in ("会同", "会"):
        at = name.find(word, 1)
        while 0 < at < len(name) - len(word):
            before, after = name[:at], name[at + len(word):]
            if all(part in candidates or part in registry.by_name for part in (before, after)):
                return True
            at = name.find(word, at + 1)
    return False


def _bracketed(unit: NewUnit) -> NewUnit:
    """规划信息股（爱卫办）: the unit 规划信息股, also called 爱卫办 (a second name in brackets)."""
    found = re.fullmatch(r"(.+?)[（(]([^（）()]+)[）)]", unit.name)
    if found:
        unit.name = found[1].strip()
        unit.aliases.append(found[2].strip())
        unit.notes.append(f"括号中的“{found[2].strip()}”记作它的另一个名称（aliases）：如是它下面的单位，改为 children")
    return unit


def _walk(units: list[NewUnit]):
    for unit in units:
        yield unit
        yield from _walk(unit.children)


def _free(folder: Path, stem: str) -> Path:
    path, number = folder / f"{stem}.yaml", 2
    while path.exists() or path.is_symlink():
        path, number = folder / f"{stem}-{number}.yaml", number + 1
    return path


def _name_in_title(title: str) -> str:
    """The issuer's name as a title starts with it: the words before the year or the subject."""
    title = re.sub(r"^关于印发", "", title)
    found = re.match(r"(.{2,30}?)(?:关于|(?:19|20)\d{2}|政务公开|贯彻|落实|年度)", title)
    return found[1].strip() if found else ""


def _text(file: RegistryFile, heading: str) -> str:
    lines = ["# yaml-language-server: $schema=../../schema/registry.schema.json",
             f"# {heading}：每处猜测都有“待核”注释，核对后删去注释。"]
    if file.parent is not None:
        lines.append(f"parent: {file.parent.id}")
    if file.units:
        lines.append("units:")
        _units(lines, file.units, 1)
    if file.collectives:
        lines.append("collectives:")
        lines += [f"  - {scalar(name)}" for name in file.collectives]
    return "\n".join(lines) + "\n"


def _units(lines: list[str], units: list[NewUnit], depth: int) -> None:
    indent = "  " * depth
    for unit in units:
        for note in unit.notes:
            lines.append(f"{indent}{REVIEW_MARK}［登记］{note}")
        lines.append(f"{indent}- name: {scalar(unit.name)}")
        if unit.id:
            lines.append(f"{indent}  id: {unit.id}")
        lines.append(f"{indent}  kind: {unit.kind}")
        if unit.aliases:
            lines.append(f"{indent}  aliases: [{', '.join(scalar(a, True) for a in unit.aliases)}]")
        if unit.children:
            lines.append(f"{indent}  children:")
            if unit.children_note:
                lines.append(f"{indent}    {REVIEW_MARK}［登记］{unit.children_note}")
            _units(lines, unit.children, depth + 2)
