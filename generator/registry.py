"""The registry of bodies and units, and the lookup of names as plans print them.

A plan names units the way its issuer speaks: 办公室 means the issuer's own office,
市财政局 a bureau of the issuer's city. So a short name is looked up only where the issuer
can mean it, nearest first:
  1. the issuer itself, its own units (sections and their sub-units) and its direct members
     (a government's bureaus);
  2. each body on the issuer's chain of parents, nearest first, and that body's direct members
     (in a bureau's plan: its city and the city's other bureaus).
A unit anywhere else is named only by a qualified reference ({name: 法规处, unit: <id>}), so a
section the editor forgot to register is reported, never credited to another body's section of
the same name. Two matches at the same distance are ambiguous and reported, never guessed.
A name written with a sub-unit in brackets, 办公室（信息中心）, means that sub-unit of the unit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import ContentError
from .model import Collective, Unit
from .yamlfile import YamlFile, dotted

_BRACKETED = re.compile(r"(.+?)[（(]([^（）()]+)[）)]")


@dataclass(frozen=True)
class Ambiguous:
    """Several units at the same distance from the issuer answer to the name."""

    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Elsewhere:
    """The name is registered, but only for units outside the issuer's scope."""

    units: tuple[Unit, ...]


@dataclass(frozen=True)
class NoSubUnit:
    """办公室（信息中心）: the unit outside the brackets is known, the one inside is not under it."""

    parent: Unit
    name: str


Lookup = Unit | Collective | Ambiguous | Elsewhere | NoSubUnit | None


@dataclass
class Registry:
    units: list[Unit] = field(default_factory=list)  # tree order
    by_id: dict[str, Unit] = field(default_factory=dict)
    by_name: dict[str, list[Unit]] = field(default_factory=dict)  # every name, alias and former name
    # (name, unit id) → where in by_name[name] that unit and the units below it stand, in order:
    # a lookup looks only there, not through every unit of that name (a province has hundreds
    # of 办公室, and each issuer asks once per name).
    family: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    collectives: dict[str, Collective] = field(default_factory=dict)
    resolved: dict = field(default_factory=dict)  # (name, issuer id) → what resolve() answered

    def resolve(self, name: str, issuer: Unit | None) -> Lookup:
        """What `name` means in a plan by `issuer` (None: the issuer is unknown, so only whether
        the name exists anywhere can be told). A plan names the same few units over and over,
        so each (name, issuer) is worked out once."""
        key = (name, issuer.id if issuer else None)
        if key not in self.resolved:
            self.resolved[key] = self._resolve(name, issuer)
        return self.resolved[key]

    def _resolve(self, name: str, issuer: Unit | None) -> Lookup:
        if name in self.collectives:
            return self.collectives[name]
        candidates = self.by_name.get(name, [])
        if not candidates:
            bracketed = _BRACKETED.fullmatch(name)
            return self._sub_unit(bracketed[1], bracketed[2], issuer) if bracketed else None
        if issuer is None:
            return candidates[0] if len(candidates) == 1 else Ambiguous(tuple(candidates))
        for centre, in_scope in scopes(issuer):
            near = [candidates[place] for place in self.family.get((name, centre.id), ()) if in_scope(candidates[place])]
            if len(near) == 1:
                return near[0]
            if near:
                return Ambiguous(tuple(near))
        return Elsewhere(tuple(candidates))

    def _sub_unit(self, outer: str, inner: str, issuer: Unit | None) -> Lookup:
        found = self.resolve(outer, issuer)
        if not isinstance(found, Unit):
            return found
        if inner in names_of(found):
            return found
        candidates = self.by_name.get(inner, [])
        below = [candidates[place] for place in self.family.get((inner, found.id), ()) if candidates[place] is not found]
        if len(below) == 1:
            return below[0]
        return Ambiguous(tuple(below)) if below else NoSubUnit(found, inner)

    def suggestions(self, name: str, issuer: Unit | None, count: int = 3) -> list[str]:
        """Registered names close to `name`, those nearest the issuer first.

        A name several units share (综合科) is given once per unit with the body it belongs to,
        so the editor can tell the suggestions apart.
        """
        scope_units = issuer.department.ancestors + [issuer.department] if issuer else []
        near: dict[str, list[Unit]] = {collective: [] for collective in self.collectives}
        for unit in self.units:
            if not scope_units or any(s is unit or s in unit.ancestors for s in scope_units):
                for known in names_of(unit):
                    near.setdefault(known, []).append(unit)
        pool = near
        matches = difflib.get_close_matches(name, list(pool), n=count, cutoff=0.3)
        if not matches:
            pool = {**{collective: [] for collective in self.collectives}, **self.by_name}
            matches = difflib.get_close_matches(name, list(pool), n=count, cutoff=0.3)
        outside = pool is not near  # found only beyond the issuer's scope: always say whose unit it is
        labels: list[str] = []
        for match in matches:
            units = list({id(unit): unit for unit in pool[match]}.values())
            if len(units) > 1 or outside and units:
                labels += [f"{match}（{_owner(unit, outside)}）" for unit in units]
            else:
                labels.append(match)
        return labels

    def find(self, name: str) -> Unit | None:
        """A unit by exact current or former name when it is unique (for the issuer field)."""
        found = self.by_name.get(name, [])
        departments = [u for u in found if u.is_department]
        return departments[0] if len(departments) == 1 else (found[0] if len(found) == 1 else None)


def scopes(issuer: Unit):
    """The units a plan of `issuer` may name by a short name, nearest first: each as a unit
    and a test for it and the units below it (Registry.family)."""

    def own(unit: Unit) -> bool:
        return unit is issuer or unit.parent is issuer or (
            issuer in unit.ancestors and unit.department is issuer.department)

    yield issuer, own
    for body in issuer.ancestors:
        yield body, lambda unit, body=body: unit is body or unit.parent is body


def names_of(unit: Unit) -> list[str]:
    names = [unit.name, *unit.aliases]
    for former in unit.former_names:
        names.append(former["name"])
        names.extend(former.get("aliases", []))
    return names


@lru_cache(maxsize=None)
def pinyin_id(name: str) -> str:
    """ASCII slug of a Chinese name: 办公室 → bangongshi. Remembered, as site.pinyin_key is:
    half the time of reading the registry again (each preview rebuild, each import)."""
    from pypinyin import lazy_pinyin  # half a second to load: not for a command refused at once

    text = "".join(lazy_pinyin(name)).lower()
    return re.sub(r"[^a-z0-9]+", "", text) or "unit"


def build(files: list[YamlFile]) -> tuple[Registry, list[ContentError]]:
    """Assemble the registry tree from its files; report every problem found."""
    registry = Registry()
    errors: list[ContentError] = []
    pending = []  # (file, parent id, units data)
    for document in files:
        data = document.data or {}
        for name in data.get("collectives", []):
            registry.collectives[name] = Collective(name)
        pending.append((document, data.get("parent"), data.get("units", [])))

    def add(document: YamlFile, items, parent: Unit | None, path) -> None:
        for index, item in enumerate(items):
            here = path + (index,)
            unit_id = item.get("id") or (f"{parent.id}-" if parent else "") + pinyin_id(item["name"])
            if unit_id in registry.by_id:
                line, column = document.where(here + ("id",) if "id" in item else here + ("name",))
                other = registry.by_id[unit_id]
                errors.append(ContentError(document.path, line, column, dotted(here), kind="duplicate-unit-id",
                                           values={"id": unit_id, "other": other.display_name, "file": other.source}))
                continue
            unit = Unit(
                id=unit_id, name=item["name"], kind=item.get("kind") or ("section" if parent and parent.kind != "government" else "department"),
                parent=parent, aliases=list(item.get("aliases", [])),
                former_names=list(item.get("former_names", [])), note=item.get("note", ""),
                source=document.path,
            )
            if parent:
                parent.children.append(unit)
            registry.by_id[unit_id] = unit
            registry.units.append(unit)
            for name in names_of(unit):
                named = registry.by_name.setdefault(name, [])
                named.append(unit)
                for above in [unit, *unit.ancestors]:
                    registry.family.setdefault((name, above.id), []).append(len(named) - 1)
            add(document, item.get("children", []), unit, here + ("children",))

    # Files that hang below another file's unit wait until that unit exists.
    while pending:
        progress = False
        for entry in list(pending):
            document, parent_id, items = entry
            if parent_id is None or parent_id in registry.by_id:
                add(document, items, registry.by_id.get(parent_id) if parent_id else None, ("units",))
                pending.remove(entry)
                progress = True
        if not progress:
            for document, parent_id, _ in pending:
                line, column = document.where(("parent",))
                close = difflib.get_close_matches(parent_id, list(registry.by_id), n=3, cutoff=0.4)
                errors.append(ContentError(document.path, line, column, "parent", kind="unknown-parent-id",
                                           values={"id": parent_id}, suggestions=tuple(close)))
            break
    return registry, errors


def _owner(unit: Unit, outside: bool) -> str:
    """How a suggestion names the body a unit belongs to: its parent, or, for a unit outside the
    issuer's scope, that it is another body's (属于…)."""
    body = unit.parent.name if unit.parent else unit.id
    return f"属于{body}，不在发布机构的范围内" if outside else body
