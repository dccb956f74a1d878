"""What every interpreter needs to know about the plan being imported."""

from __future__ import annotations

from dataclasses import dataclass

from .names import Names


@dataclass
class Context:
    names: Names  # the registry in the issuer's scope
    year: int  # the plan's year: 年底前 means this year's end
    first_listed: bool = False  # the document says the first unit listed leads
