"""Rules across files: unique ids, references that resolve, no cycles, consistent plans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import Kind, Settings
from mitrm.core.record import Summary
from mitrm.core.vocabulary import shown
from mitrm.i18n import _


def check_repository(records: Sequence[Summary], *, settings: Settings) -> list[Diagnostic]:
    """Run every cross-file rule over all items' summaries; diagnostics carry field paths."""
    diagnostics: list[Diagnostic] = []
    by_id = _index(records, diagnostics)
    prefixes = {settings.ids.for_kind(kind).prefix: kind for kind in Kind}
    for record in records:
        for loc, ref in record.refs:
            target = by_id.get(ref)
            if target is None:
                diagnostics.append(
                    Diagnostic(
                        record.path,
                        "MIT203",
                        _("'{id}' does not exist: no {kind} has this id").format(
                            id=ref, kind=_label_of(ref, prefixes)
                        ),
                        item=record.id,
                        loc=loc,
                    )
                )
            elif _expected_kind(record.kind, loc) not in (None, target.kind):
                expected = _expected_kind(record.kind, loc)
                assert expected is not None
                diagnostics.append(
                    Diagnostic(
                        record.path,
                        "MIT208",
                        _("'{field}' must name a {kind}, but '{id}' is a {other}").format(
                            field=loc[0],
                            kind=shown("kind", expected.value),
                            id=ref,
                            other=shown("kind", target.kind.value),
                        ),
                        item=record.id,
                        loc=loc,
                    )
                )
    diagnostics += _cycles(records)
    return diagnostics


def _label_of(ref: str, prefixes: dict[str, Kind]) -> str:
    kind = prefixes.get(ref.split("-", 1)[0])
    return shown("kind", kind.value) if kind else _("item")


def _expected_kind(kind: Kind, loc: tuple[str | int, ...]) -> Kind | None:
    if kind is Kind.CHANGE:
        return None  # a change request may target requirements or plans
    return Kind.REQUIREMENT


def _index(records: Iterable[Summary], diagnostics: list[Diagnostic]) -> dict[str, Summary]:
    by_id: dict[str, Summary] = {}
    duplicates: dict[str, list[Summary]] = {}
    for record in records:
        if record.id is None:
            continue
        if record.id in by_id:
            duplicates.setdefault(record.id, [by_id[record.id]]).append(record)
        else:
            by_id[record.id] = record
    for item_id, holders in duplicates.items():
        paths = [holder.path for holder in holders]
        for holder in holders:
            others = ", ".join(path for path in paths if path != holder.path)
            diagnostics.append(
                Diagnostic(
                    holder.path,
                    "MIT201",
                    _(
                        "id '{id}' is also used by {others}; give one of them a new id "
                        "with 'mitrm renumber {id} NEW_ID --file {path}' (leave out "
                        "NEW_ID to take the next free id; common after merging two branches)"
                    ).format(id=item_id, others=others, path=holder.path),
                    item=item_id,
                    loc=("id",),
                )
            )
    return by_id


def _cycles(records: Sequence[Summary]) -> list[Diagnostic]:
    """Find dependency cycles among requirements (iterative Tarjan, linear time)."""
    graph: dict[str, list[str]] = {}
    where: dict[str, Summary] = {}
    for record in records:
        if record.kind is Kind.REQUIREMENT and record.id and record.id not in where:
            graph[record.id] = [ref for loc, ref in record.refs if loc[0] == "depends_on"]
            where[record.id] = record
    # Only edges between requirements that exist can close a cycle; filter them once.
    graph = {node: [c for c in deps if c in graph] for node, deps in graph.items()}
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index_of:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph[node]
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index_of:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index_of[child])
                continue
            if low[node] == index_of[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1 or node in graph.get(node, []):
                    components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    found: list[Diagnostic] = []
    for component in components:
        cycle = _cycle_path(sorted(component), graph)
        text = " -> ".join(cycle)
        for member in sorted(set(cycle)):
            record = where[member]
            next_id = cycle[cycle.index(member) + 1]
            deps = graph[member]
            found.append(
                Diagnostic(
                    record.path,
                    "MIT204",
                    _("dependency cycle: {cycle}; remove one of these depends_on entries").format(
                        cycle=text
                    ),
                    item=member,
                    loc=("depends_on", deps.index(next_id)),
                )
            )
    return found


def _cycle_path(component: list[str], graph: dict[str, list[str]]) -> list[str]:
    """A concrete cycle inside a strongly connected component, closed on its start."""
    members = set(component)
    start = component[0]
    path = [start]
    seen = {start}
    node = start
    while True:
        nxt = next((c for c in graph[node] if c == start and len(path) > 1), None) or next(
            (c for c in sorted(graph[node]) if c in members and c not in seen), None
        )
        if nxt is None:
            nxt = next(c for c in graph[node] if c in members)
        path.append(nxt)
        if nxt == start or nxt in seen:
            if nxt != start:
                path = path[path.index(nxt) :]
            return path
        seen.add(nxt)
        node = nxt
