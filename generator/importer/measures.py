"""One measure's text made into a draft measure: its label, and parts where it carries inline
responsibility markers. Shared by the table and the prose interpreters."""

from __future__ import annotations

from .context import Context
from .draft import Measure
from .labels import SECTION, split_label
from .markers import has_marker, parts_of


def measure_from(text: str, context: Context, label: str = "") -> Measure:
    """`1.规范……` → label 1., text 规范……; a text of several numbered lines stays whole."""
    if not label and "\n" not in text:
        labelled = split_label(text)
        if labelled.kind and labelled.kind != SECTION and labelled.text:  # a bare （一） is text, not a label
            label, text = labelled.label, labelled.text
    measure = Measure(label=label)
    if has_marker(text, context.names):
        measure.parts, findings = parts_of(text, context.names, context.first_listed)
        for finding in findings:
            finding.field = finding.field or "parts"
        measure.findings.extend(findings)
    else:
        measure.text = text
    return measure
