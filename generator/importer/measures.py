"""One measure's text made into a draft measure: its label, and parts where it carries inline
responsibility markers. Shared by the table and the prose interpreters."""

from __future__ import annotations

from .context import Context
from .draft import Measure
from .labels import SECTION, split_label
from .markers import has_marker, parts_of


def measure_from(text: str, context: Context, label: str | None = None) -> Measure:
    """`1.规范……` → label 1., text 规范……; a text of several numbered lines stays whole.
    A `label` given (the 序号 column's, or "" for none) is taken as it is."""
    if label is None:
        label, text = split_measure_label(text) if "\n" not in text else ("", text)
    measure = Measure(label=label)
    if has_marker(text, context.names):
        measure.parts, findings = parts_of(text, context.names, context.first_listed)
        for finding in findings:
            finding.field = finding.field or "parts"
        measure.findings.extend(findings)
    else:
        measure.text = text
    return measure


def split_measure_label(text: str) -> tuple[str, str]:
    """(label, text) of a measure's first line; a bare （一） or a 一、 is text, not a label."""
    labelled = split_label(text)
    if labelled.kind and labelled.kind != SECTION and labelled.text:
        return labelled.label, labelled.text
    return "", text
