"""Unit names matched against the registry in the issuer's scope, exactly as `build.py check`
will match them, so a draft that the importer found clean resolves the same way.

The importer never picks a unit the build would not: an unknown name stays as written and is
reported with the registry's closest names; a name registered only outside the issuer's scope
is pinned to that unit (a qualified reference) only when exactly one unit answers, and reported.

`Context` is these names with what else every interpreter must know of the plan being read:
its year (年底前 means this year's end) and whether it says the first unit listed leads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import registry as registry_module
from ..model import Collective, Unit

_BRACKETED = re.compile(r"(.+?)[（(]([^（）()]+)[）)]")
UNIT, COLLECTIVE, AMBIGUOUS, ELSEWHERE, UNKNOWN, NO_SUB_UNIT = (
    "unit", "collective", "ambiguous", "elsewhere", "unknown", "no_sub_unit")


@dataclass
class Match:
    kind: str
    unit: Unit | None = None
    candidates: list[Unit] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.kind in (UNIT, COLLECTIVE)


class Names:
    """Look-ups for one plan: the registry and the issuer whose scope names resolve in."""

    def __init__(self, registry, issuer: Unit):
        self.registry = registry
        self.issuer = issuer
        self.unknown: list[str] = []  # names read as units that the registry does not know, in order
        # No unit's name is longer than this (with a bracketed sub-unit): a longer text is no name.
        self.longest = 2 * max((len(name) for name in [*registry.by_name, *registry.collectives]), default=0) + 2

    def look(self, name: str) -> Match:
        found = self.registry.resolve(name, self.issuer)
        if isinstance(found, Collective):
            return Match(COLLECTIVE)
        if isinstance(found, Unit):
            return Match(UNIT, found)
        if isinstance(found, list):  # the registry's answer for two units at the same distance
            return Match(AMBIGUOUS, candidates=list(found))
        for kind, class_name in ((AMBIGUOUS, "Ambiguous"), (ELSEWHERE, "Elsewhere"), (NO_SUB_UNIT, "NoSubUnit")):
            answer_class = getattr(registry_module, class_name, None)
            if answer_class is not None and isinstance(found, answer_class):
                return Match(kind, getattr(found, "parent", None), list(getattr(found, "units", ())))
        return Match(UNKNOWN)

    def known(self, name: str) -> bool:
        return bool(name) and len(name) <= self.longest and self.look(name).known

    def outer(self, name: str) -> str | None:
        """市政府办公室 for 市政府办公室(市政府督查室) when only the part outside the brackets is known."""
        bracketed = _BRACKETED.fullmatch(name)
        if bracketed and self.known(bracketed[1].strip()):
            return bracketed[1].strip()
        return None

    def suggestions(self, name: str) -> list[str]:
        return self.registry.suggestions(name, self.issuer) if len(name) <= self.longest else []

    def known_prefix(self, text: str) -> str:
        """The longest start of `text` that is a known name (综合科 in 综合科指导)."""
        for end in range(min(len(text) - 1, self.longest), 1, -1):
            if self.known(text[:end]):
                return text[:end]
        return ""


@dataclass
class Context:
    names: Names  # the registry in the issuer's scope
    year: int  # the plan's year: 年底前 means this year's end
    first_listed: bool = False  # the document says the first unit listed leads
