"""Turn content/ into the model: resolve names, inherit responsibilities, attach reports (the
files themselves are listed, read and checked by contentfiles.py).

Every problem in every file is collected, so one run tells an editor everything that is wrong.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from . import progress
from . import registry as registry_module
from .errors import BuildFailed, ContentError
from .markup import markdown_html
from .messages import Message
from .model import (
    ROLES, Assignment, Collective, Content, Deadline, Measure, Part, Plan, Point, Reading, Recurrence, Relative,
    Report, Responsibility, Section, Status, Task, Unit, UnitReading,
)
from .contentfiles import LoadCache, read, read_plan_file, require_folder, yaml_files
from .yamlfile import YamlFile, dotted



def load(content_dir: Path, include_drafts: bool = False, cache: LoadCache | None = None,
         with_static: bool = False, read_plans=None) -> Content:
    """Read and check everything under `content_dir`; raise BuildFailed listing every error.

    `cache` keeps what was read for the next call (serve): only what a change made it forget
    (LoadCache.forget) is read again. `with_static` also reads content/static/ (copied as it is
    to the site's root; the preview reads it again only when a file in it changed).
    `read_plans(paths, content_dir)` may read many plan files at once elsewhere (a process pool);
    it returns read_plan_file's answer for each path, in order.
    """
    require_folder(content_dir)
    cache = cache if cache is not None else LoadCache()
    errors: list[ContentError] = []

    settings = cache.read_settings(content_dir, errors)
    registry = read_registry(content_dir, errors, cache)

    plan_paths = cache.listing(content_dir / "plans", errors)
    unread = [path for path in plan_paths if path not in cache.files]
    # Answers come in order as they are read, so plans are built while later files are being read.
    reads = zip(unread, (read_plans or _read_each)(unread, content_dir)) if unread else iter(())
    waiting = set(unread)

    plans: list[Plan] = []
    seen_ids: dict[str, Path] = {}
    drafts = 0
    for path in plan_paths:
        while path in waiting:
            done, read = next(reads)
            cache.files[done] = read
            waiting.discard(done)
        document = cache.read(path, "plan", errors, content_dir)
        if path not in cache.plans:
            built: list[ContentError] = []
            cache.plans[path] = (build_plan(document, registry, built) if document is not None else None, built)
        plan, built = cache.plans[path]
        errors.extend(built)
        if document is None or plan is None or not admit(path, plan.id, document, seen_ids, errors):
            continue
        if include_drafts or not plan.draft:
            plans.append(plan)
        else:
            drafts += 1

    _attach_reports(content_dir, plans, seen_ids, include_drafts, cache, errors)
    static = cache.read_static(content_dir, errors) if with_static else {}
    if not errors and not plans:
        errors.append(no_plans(content_dir, drafts))
    if errors:
        raise BuildFailed(errors)
    plans.sort(key=lambda plan: (-plan.year, plan.id))
    return Content(units=registry.units, plans=plans, settings=settings, static=static)


def read_registry(content_dir: Path, errors: list[ContentError], cache: LoadCache | None = None):
    """The registry; its mistakes join `errors`. A registry folder that is a link stops the
    build at once (BuildFailed)."""
    cache = cache if cache is not None else LoadCache()
    registry_paths = cache.listing(content_dir / "registry", errors)
    if (content_dir / "registry").is_symlink():
        raise BuildFailed(errors)  # every name in every plan would be unknown: say only why
    if cache.registry is None:
        registry_errors: list[ContentError] = []
        registry_files = [doc for doc in (cache.read(path, "registry", registry_errors, content_dir)
                                          for path in registry_paths)
                          if doc is not None]
        registry, built_errors = registry_module.build(registry_files)
        cache.registry = (registry, registry_errors + built_errors)
    registry, registry_errors = cache.registry
    errors.extend(registry_errors)
    return registry


def admit(path: Path, plan_id: str, document: YamlFile, seen_ids: dict[str, Path], errors: list[ContentError]) -> bool:
    """The rules on a built plan's id, in file order: it is its file's name, and no two plans
    share one (the second is left out). `seen_ids`: the ids admitted so far."""
    if plan_id != path.stem:
        line, column = document.where(("id",))
        errors.append(ContentError(path, line, column, "id", kind="file-name-not-id",
                                   values={"file": path.name, "id": plan_id}))
    if plan_id in seen_ids:
        line, column = document.where(("id",))
        errors.append(ContentError(path, line, column, "id", kind="duplicate-plan-id",
                                   values={"id": plan_id, "other": seen_ids[plan_id]}))
        return False
    seen_ids[plan_id] = path
    return True


def report_of_known_plan(path: Path, plan_id: str, document: YamlFile, plan_ids, errors: list[ContentError]) -> bool:
    """A report file names a plan that exists (drafts count); else an error with close ids."""
    if plan_id in plan_ids:
        return True
    line, column = document.where(("plan",))
    close = difflib.get_close_matches(plan_id, list(plan_ids), n=3, cutoff=0.5)
    errors.append(ContentError(path, line, column, "plan", kind="report-unknown-plan", values={"id": plan_id},
                               suggestions=tuple(close)))
    return False


def _attach_reports(content_dir: Path, plans: list[Plan], plan_ids: dict[str, Path], include_drafts: bool,
                    cache: LoadCache, errors: list[ContentError]) -> None:
    """Read content/reports/ and give each plan its reports and each measure its readings
    (progress.py). A report on a draft plan, or a draft report, waits with it."""
    by_plan: dict[str, list[YamlFile]] = {}
    published = {plan.id: plan for plan in plans}
    for path in cache.listing(content_dir / "reports", errors):
        document = cache.read(path, "report", errors, content_dir)
        if document is None:
            continue
        plan_id = document.data["plan"]
        if not report_of_known_plan(path, plan_id, document, plan_ids, errors):
            continue
        if plan_id not in published or document.data.get("draft") and not include_drafts:
            continue
        by_plan.setdefault(plan_id, []).append(document)
    for plan in plans:
        documents = tuple(by_plan.get(plan.id, ()))
        # A plan kept by the cache whose report files are the very documents it was given last
        # time keeps its readings: an edit to one plan does not redo every plan's progress (and
        # what site.py keeps on the measures stays valid).
        held = cache.attached.get(plan.source_path)
        if held is not None and held[0] is plan and len(held[1]) == len(documents) and all(
                a is b for a, b in zip(held[1], documents)):
            errors.extend(held[2])
            continue
        found: list[ContentError] = []
        progress.attach(plan, [report_entries(document, plan, found) for document in documents])
        if held is not None and held[0] is plan:
            cache.refreshed.append(plan)
        cache.attached[plan.source_path] = (plan, documents, found)
        errors.extend(found)


def _read_each(paths: list[Path], content_dir: Path):
    return (read_plan_file(path, content_dir) for path in paths)


def report_entries(document: YamlFile, plan: Plan, errors: list[ContentError]) -> tuple[Report, dict[str, Reading]]:
    """A report file (of `plan`) as progress.attach takes it: the report and its entries by anchor."""
    report = _report(document, document.path)
    return report, _entries(document, plan, report, errors)


def load_plan(content_dir: Path, plan_id: str, registry) -> Plan | None:
    """One plan against `registry` (load_registry's), checked as `load` checks it, for
    `build.py import --report`; None when content/plans/ has no <plan_id>.yaml. Other plans
    and reports are not read: an error in them is not the import's business."""
    path = content_dir / "plans" / f"{plan_id}.yaml"
    if not os.path.lexists(path):
        return None
    errors: list[ContentError] = []
    document = read(path, "plan", errors, content_dir)
    plan = build_plan(document, registry, errors) if document is not None else None
    if errors or plan is None:
        raise BuildFailed(errors)
    return plan


def check_report(document: YamlFile, plan: Plan) -> list[ContentError]:
    """A report file (already schema-checked) against its plan, as `load` checks it: for
    `build.py import --report`, before the file is written."""
    errors: list[ContentError] = []
    if document.data["plan"] != plan.id:
        line, column = document.where(("plan",))
        errors.append(ContentError(document.path, line, column, "plan", kind="report-unknown-plan",
                                   values={"id": document.data["plan"]}))
    _entries(document, plan, _report(document, document.path), errors)
    return errors


def _report(document: YamlFile, path: Path) -> Report:
    data = document.data
    return Report(id=path.stem, title=data["title"], kind=data.get("kind", "进展报告"), as_of=data["as_of"],
                  draft=data.get("draft", False), document_number=data.get("document_number", ""),
                  published=data.get("published", ""), source=dict(data.get("source", {})),
                  editor_notes=list(data.get("editor_notes", [])), source_path=path)


def _entries(document: YamlFile, plan: Plan, report: Report, errors: list[ContentError]) -> dict[str, Reading]:
    """The report's entries by measure anchor, each anchor and unit name checked against the plan."""
    measures = {measure.anchor: measure for measure in plan.measures}
    entries: dict[str, Reading] = {}
    for index, entry in enumerate(document.data["measures"]):
        here = ("measures", index)
        anchor = entry["measure"]
        measure = measures.get(anchor)
        if measure is None:
            close = difflib.get_close_matches(anchor, list(measures), n=3, cutoff=0.5)
            _report_error(errors, document, here + ("measure",), "report-unknown-measure", close,
                          anchor=anchor, plan=plan.id)
            continue
        if anchor in entries:
            _report_error(errors, document, here + ("measure",), "report-duplicate-measure", anchor=anchor)
            continue
        names = {a.written: a for a in measure.assignments}
        units = []
        for number, unit in enumerate(entry.get("units", [])):
            if unit["name"] not in names:
                _report_error(errors, document, here + ("units", number, "name"), "report-unit-not-of-measure",
                              name=unit["name"], anchor=anchor, units=tuple(names) or ("（无）",))
                continue
            units.append(UnitReading(unit["name"], unit["text"], unit.get("state", ""), names[unit["name"]]))
        entries[anchor] = Reading(report, entry.get("text", ""), report.as_of, entry.get("state", ""), units,
                                  entry.get("editor_note", ""))
    return entries


def _report_error(errors: list[ContentError], document: YamlFile, path, kind: str, suggestions=(), **values) -> None:
    line, column = document.where(path)
    errors.append(ContentError(document.path, line, column, dotted(path), kind=kind, values=values,
                               suggestions=tuple(suggestions)))


def no_plans(content_dir: Path, drafts: int) -> ContentError:
    if drafts:
        return ContentError(content_dir / "plans", 0, 0, None, kind="all-drafts", values={"count": drafts})
    return ContentError(content_dir / "plans", 0, 0, None, kind="no-plans")


class _PlanBuilder:
    """Builds one Plan, resolving names against the registry in the issuer's scope."""

    def __init__(self, document: YamlFile, registry, errors: list[ContentError]):
        self.document = document
        self.registry = registry
        self.errors = errors
        self.issuer: Unit | None = None
        self.anchors: dict[str, tuple] = {}
        self.rule = ""  # the first-listed rule in force (plan's, or the section's own)
        self.role_words: dict = {}  # the plan's own words for roles

    def error(self, path, kind: str, suggestions=(), **values) -> None:
        line, column = self.document.where(path)
        self.errors.append(ContentError(self.document.path, line, column, dotted(path), kind=kind, values=values,
                                        suggestions=tuple(suggestions)))

    def responsibility(self, data: dict | None, path) -> Responsibility | None:
        if not data:
            return None
        words = {**self.role_words, **data.get("words", {})}
        result = Responsibility(as_written=data.get("as_written", ""))
        listed = _names_at(data, "listed", path)
        for index, (item, here) in enumerate(listed):
            role = "support" if self.rule and index > 0 else "lead"
            result.assignments.append(self.assignment(role, item, here, words.get(role, "")))
        if listed and self.rule:
            result.rule = self.rule
        for role in ROLES:
            for item, here in _names_at(data, role, path):
                result.assignments.append(self.assignment(role, item, here, words.get(role, "")))
        return result

    def assignment(self, role: str, item, path, word: str = "") -> Assignment:
        if isinstance(item, dict):
            return self.qualified(role, item, path, word)
        name = item.strip()
        found = self.registry.resolve(name, self.issuer)
        if isinstance(found, Collective):
            return Assignment(role, name, None, found, word)
        if isinstance(found, Unit):
            return Assignment(role, name, found, word=word)
        if self.issuer is None and found is not None:
            pass  # the issuer is unknown: whether the name exists is all that can be told
        elif isinstance(found, registry_module.Ambiguous):
            self.error(path, "ambiguous-unit", name=name, units=_choices(found.units))
        elif isinstance(found, registry_module.Elsewhere):
            units = found.units
            self.error(path, "unit-out-of-scope", name=name, issuer=self.issuer.name, issuer_id=self.issuer.id,
                       units=_registered_elsewhere(units), unit_id=units[0].id if len(units) == 1 else "<id>")
        elif isinstance(found, registry_module.NoSubUnit):
            self.error(path, "unknown-sub-unit", name=name, sub_unit=found.name,
                       parent=found.parent.display_name, parent_id=found.parent.id)
        else:
            self.error(path, "unknown-unit", self.registry.suggestions(name, self.issuer), name=name)
        return Assignment(role, name, None, Collective(name), word)

    def qualified(self, role: str, item: dict, path, word: str) -> Assignment:
        """{name: 市委宣传部, unit: zs-swxcb}: a unit outside the issuer's scope, named as printed."""
        name, unit = item["name"].strip(), self.registry.by_id.get(item["unit"])
        if unit is None:
            close = difflib.get_close_matches(item["unit"], list(self.registry.by_id), n=3, cutoff=0.5)
            self.error(path + ("unit",), "unknown-unit-id", close, id=item["unit"])
            return Assignment(role, name, None, Collective(name), word)
        if name not in registry_module.names_of(unit):
            self.error(path + ("name",), "name-not-of-unit", name=name, unit=unit.display_name, unit_id=unit.id)
        return Assignment(role, name, unit, word=word)

    def anchor(self, wanted: str | None, default: str, path) -> str:
        anchor = wanted or default
        if anchor in self.anchors:
            self.error(path + ("anchor",) if wanted else path, "duplicate-anchor",
                       anchor=anchor, first=dotted(self.anchors[anchor]))
        else:
            self.anchors[anchor] = path
        return anchor

    def build(self) -> Plan | None:
        data = self.document.data
        issuer = self.registry.find(data["issuer"])
        if issuer is None:
            self.error(("issuer",), "unknown-issuer", self.registry.suggestions(data["issuer"], None),
                       name=data["issuer"])
        self.issuer = issuer
        self.rule = data.get("first_listed_leads", "")
        self.role_words = dict(data.get("role_words", {}))
        plan = Plan(
            id=data["id"], title=data["title"], issuer=issuer, issuer_name=data["issuer"],
            kind=data["kind"], year=data["year"], sections=[], source_path=self.document.path,
            draft=data.get("draft", False), document_number=data.get("document_number", ""),
            index_number=data.get("index_number", ""), topic=data.get("topic", ""),
            genre=data.get("genre", ""), dates=dict(data.get("dates", {})),
            validity=data.get("validity", ""), recipients=data.get("recipients", ""),
            source=dict(data.get("source", {})), summary=data.get("summary", ""),
            columns=list(data.get("columns", [])), status_as_of=data.get("status_as_of", ""),
            first_listed_leads=self.rule, role_words=dict(self.role_words),
            preamble_html=markdown_html(data.get("preamble", ""), top_level=3),
            closing_html=markdown_html(data.get("closing", ""), top_level=3),
            editor_notes=list(data.get("editor_notes", [])),
        )
        for index, section_data in enumerate(data["sections"]):
            self.rule = section_data.get("first_listed_leads") or plan.first_listed_leads
            plan.sections.append(self.section(plan, section_data, ("sections", index), index + 1))
        # With an unknown issuer the names were still checked (every error in one run), but
        # without its scope the plan cannot be trusted.
        return plan if issuer is not None else None

    def section(self, plan: Plan, data: dict, path, number: int) -> Section:
        section = Section(
            label=data.get("label", ""), title=data.get("title", ""),
            anchor=self.anchor(data.get("anchor"), f"s{number}", path),
            responsibility=self.responsibility(data.get("responsibility"), path + ("responsibility",)),
            deadline=_deadline(data.get("deadline")), editor_note=data.get("editor_note", ""),
            body_html=markdown_html(data.get("body", ""), top_level=3),
            first_listed_leads=data.get("first_listed_leads", ""),
        )
        context = _Context(plan, section, None, None, (section.responsibility, "section"), section.deadline)
        section.measures = self.measures(context, data.get("measures", []), path + ("measures",), section.anchor)
        for index, point_data in enumerate(data.get("points", [])):
            here = path + ("points", index)
            point = Point(
                label=point_data.get("label", ""), title=point_data.get("title", ""),
                anchor=self.anchor(point_data.get("anchor"), f"{section.anchor}-p{index + 1}", here),
                measures=[], deadline=_deadline(point_data.get("deadline")),
                responsibility=self.responsibility(point_data.get("responsibility"), here + ("responsibility",)),
                editor_note=point_data.get("editor_note", ""),
            )
            inherited = (point.responsibility, "point") if point.responsibility else context.inherited
            point_context = _Context(plan, section, point, None, inherited, point.deadline or section.deadline)
            point.measures = self.measures(point_context, point_data["measures"], here + ("measures",), point.anchor)
            section.points.append(point)
        return section

    def measures(self, context: _Context, items, path, prefix, result=None) -> list[Measure]:
        """Measures in order; a group's responsibility covers the measures inside it, a task's
        heading (and responsibility and deadline, when given) the measures under it."""
        result = [] if result is None else result
        for index, item in enumerate(items):
            here = path + (index,)
            if "task" in item:
                task = Task(title=item["task"], label=item.get("label", ""), editor_note=item.get("editor_note", ""),
                            anchor=self.anchor(item.get("anchor"), f"{prefix}-t{_task_number(result)}", here))
                own = self.responsibility(item.get("responsibility"), here + ("responsibility",))
                inner = _Context(context.plan, context.section, context.point, task,
                                 (own, "task") if own else context.inherited,
                                 _deadline(item.get("deadline")) or context.deadline)
                self.measures(inner, item["measures"], here + ("measures",), prefix, result)
            elif "group" in item:
                group = _Context(context.plan, context.section, context.point, context.task,
                                 (self.responsibility(item["group"], here + ("group",)), "group"), context.deadline)
                for inner_index, measure_data in enumerate(item["measures"]):
                    result.append(self.measure(group, measure_data, here + ("measures", inner_index),
                                               f"{prefix}-m{len(result) + 1}"))
            else:
                result.append(self.measure(context, item, here, f"{prefix}-m{len(result) + 1}"))
        return result

    def measure(self, context: _Context, data, path, default_anchor) -> Measure:
        own = self.responsibility(data.get("responsibility"), path + ("responsibility",))
        if "parts" in data:
            parts = [
                Part(text=part["text"], editor_note=part.get("editor_note", ""),
                     responsibility=self.responsibility(part.get("responsibility"), path + ("parts", i, "responsibility")))
                for i, part in enumerate(data["parts"])
            ]
        else:
            parts = [Part(text=data["text"])]
        if own is not None:
            responsibility, source = own, ""
        elif context.inherited[0] is not None:
            responsibility, source = context.inherited
        else:
            responsibility, source = Responsibility(), ""
        return Measure(
            label=data.get("label", ""), anchor=self.anchor(data.get("anchor"), default_anchor, path),
            parts=parts, responsibility=responsibility, inherited_from=source,
            requirement=data.get("requirement", ""),
            deadline=_deadline(data.get("deadline")) or context.deadline,
            status=_status(data.get("status"), context.plan.status_as_of), remarks=data.get("remarks", ""),
            editor_note=data.get("editor_note", ""),
            plan=context.plan, section=context.section, point=context.point, task=context.task,
        )


@dataclass
class _Context:
    """Where measures sit while they are built: what they belong to and what they inherit."""

    plan: Plan
    section: Section
    point: Point | None
    task: Task | None
    inherited: tuple  # (responsibility or None, where it was written)
    deadline: Deadline | None


def _task_number(measures: list[Measure]) -> int:
    """1 for the first task of a section or point, 2 for the next, …"""
    seen = []
    for measure in measures:
        if measure.task is not None and measure.task not in seen:
            seen.append(measure.task)
    return len(seen) + 1


def _names_at(data: dict, key: str, path) -> list[tuple]:
    """(name or qualified reference, its path) for each name written under `key`."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [(value, path + (key,))]
    return [(item, path + (key, index)) for index, item in enumerate(value)]


def _choices(units) -> tuple[Message, ...]:
    """The units an ambiguous name may mean, each with where it stands in the registry."""
    return tuple(Message("unit-under", {"name": u.name, "parent": u.parent.name, "id": u.id}) if u.parent
                 else Message("unit-at-top", {"name": u.name, "id": u.id}) for u in units[:4])


def _registered_elsewhere(units) -> tuple[Message, ...]:
    """Units found outside the issuer's scope, each with the registry file it is in."""
    return tuple(Message("unit-in-file", {"name": u.display_name, "id": u.id,
                                          "file": u.source.name if u.source else ""}) for u in units[:3])


def build_plan(document: YamlFile, registry, errors: list[ContentError]) -> Plan | None:
    return _PlanBuilder(document, registry, errors).build()


def _deadline(data) -> Deadline | None:
    if data is None:
        return None
    if isinstance(data, str):
        return Deadline(text=data)
    recurring = after = None
    if "recurring" in data:
        by = data["recurring"].get("by")
        recurring = Recurrence(every=data["recurring"]["every"], day=by if isinstance(by, int) else None,
                               end=by == "end")
    if "after" in data:
        after = Relative(event=data["after"]["event"], within=data["after"].get("within"),
                         unit=data["after"].get("unit", "days"))
    return Deadline(text=data["text"], date=data.get("date", ""), milestones=list(data.get("milestones", [])),
                    recurring=recurring, after=after)


def _status(data, default_as_of: str) -> Status | None:
    if data is None:
        return None
    if isinstance(data, str):
        return Status(text=data, as_of=default_as_of)
    return Status(text=data["text"], as_of=data.get("as_of", default_as_of), state=data.get("state", ""))


def load_registry(content_dir: Path):
    """The registry alone, for `build.py import`: a broken registry is reported as the build
    reports it (BuildFailed), since names cannot be matched against it."""
    require_folder(content_dir)
    errors: list[ContentError] = []
    paths = yaml_files(content_dir / "registry", errors)
    files = [document for document in (read(path, "registry", errors, content_dir) for path in paths)
             if document is not None]
    registry, built_errors = registry_module.build(files)
    errors.extend(built_errors)
    if errors:
        raise BuildFailed(errors)
    return registry
