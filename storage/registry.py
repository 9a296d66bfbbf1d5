"""The agency registry file (YAML): read and validated before anything is imported.

Every problem is reported with the file, the line and the reason, all at once, so a user fixes
the file in one pass; ``storage.agencies.import_entries`` imports only a registry without any.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from storage.errors import RegistryError, RegistryErrors
from storage.types import LEVELS

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
DEADLINE_RE = re.compile(r"^(\d\d)-(\d\d)$")
KEYS = ("id", "name", "level", "region", "parent", "portal", "report_lists", "deadline", "since")
REQUIRED = ("id", "name", "level", "region", "portal")


@dataclass(frozen=True)
class RegistryEntry:
    id: str
    name: str
    level: str
    region: str
    parent: str | None
    portal: str
    report_lists: tuple[str, ...]
    deadline: str | None
    since: int | None
    line: int  # where the entry starts in the file (1-based)
    parent_line: int


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def valid_url(value: object) -> bool:
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def valid_deadline(value: str) -> bool:
    m = DEADLINE_RE.match(value)
    if not m:
        return False
    try:
        dt.date(2000, int(m[1]), int(m[2]))  # a leap year: 02-29 is a date someone may set
    except ValueError:
        return False
    return True


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        # The C loader (libyaml) when built in: ten times faster on big registries, same marks.
        loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.loader = loader_class(text)
        self.problems: list[RegistryError] = []

    def problem(self, line: int | None, reason: str) -> None:
        self.problems.append(RegistryError(str(self.path), line, reason))

    def value(self, node: yaml.Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def entries(self) -> list[RegistryEntry]:
        try:
            root = self.loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            self.problem(line, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
            return []
        finally:
            self.loader.dispose()
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                _line(root) if root else None, "the top level must be a mapping with `agencies:`"
            )
            return []
        items = [v for k, v in root.value if self.value(k) == "agencies"]
        if not items or not isinstance(items[0], yaml.SequenceNode):
            self.problem(_line(root), "`agencies:` must be a list of agencies")
            return []
        out: list[RegistryEntry] = []
        for node in items[0].value:
            try:
                entry = self.entry(node)
            except yaml.YAMLError as exc:  # e.g. a tag SafeLoader refuses (!!python/…)
                mark = getattr(exc, "problem_mark", None)
                reason = getattr(exc, "problem", None) or str(exc)
                self.problem(mark.line + 1 if mark else _line(node), f"bad value: {reason}")
                continue
            if entry is not None:
                out.append(entry)
        return out

    def entry(self, node: yaml.Node) -> RegistryEntry | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(_line(node), "each agency must be a mapping (id, name, level, …)")
            return None
        fields: dict[str, tuple[Any, int]] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if key not in KEYS:
                self.problem(_line(key_node), f"unknown key {key!r} (known: {', '.join(KEYS)})")
                continue
            if key in fields:
                self.problem(_line(key_node), f"key {key!r} given twice in one agency")
            fields[key] = (self.value(value_node), _line(value_node))
        start = _line(node)
        missing = [k for k in REQUIRED if fields.get(k, (None, 0))[0] in (None, "")]
        for key in missing:
            self.problem(start, f"agency is missing the required key {key!r}")
        before = len(self.problems)
        ident, id_line = fields.get("id", (None, start))
        if ident is not None and (not isinstance(ident, str) or not ID_RE.match(ident)):
            self.problem(id_line, f"id {ident!r} is not a slug (letters, digits, . _ -)")
        for key in ("name", "region"):
            value, line = fields.get(key, ("x", start))
            if not isinstance(value, str) or not value.strip():
                self.problem(line, f"{key} must be a non-empty text")
        level, line = fields.get("level", (None, start))
        if level is not None and level not in LEVELS:
            self.problem(line, f"unknown level {level!r} (one of {', '.join(LEVELS)})")
        portal, line = fields.get("portal", (None, start))
        if portal is not None and not valid_url(portal):
            self.problem(line, f"portal {portal!r} is not an http(s) URL")
        lists, line = fields.get("report_lists", ([], start))
        if lists is None:
            lists = []
        if not isinstance(lists, list):
            self.problem(line, "report_lists must be a list of URLs")
            lists = []
        for url in lists:
            if not valid_url(url):
                self.problem(line, f"report_lists entry {url!r} is not an http(s) URL")
        deadline, line = fields.get("deadline", (None, start))
        if deadline is not None and not (isinstance(deadline, str) and valid_deadline(deadline)):
            self.problem(
                line, f"deadline {deadline!r} is not a date of the year as MM-DD (quote it)"
            )
        since, line = fields.get("since", (None, start))
        if since is not None and (
            isinstance(since, bool) or not isinstance(since, int) or not 1990 <= since <= 2100
        ):
            self.problem(line, f"since {since!r} is not a year")
        parent, parent_line = fields.get("parent", (None, start))
        if parent is not None and not isinstance(parent, str):
            self.problem(parent_line, f"parent {parent!r} is not an agency id")
        if missing or len(self.problems) > before:
            return None
        return RegistryEntry(
            id=ident,
            name=fields["name"][0].strip(),
            level=level,
            region=fields["region"][0].strip().strip("/"),
            parent=parent,
            portal=portal,
            report_lists=tuple(lists),
            deadline=deadline,
            since=since,
            line=start,
            parent_line=parent_line,
        )


def load_registry(path: Path, known_ids: frozenset[str] = frozenset()) -> list[RegistryEntry]:
    """Read and check a registry file; raise ``RegistryErrors`` listing every problem.

    ``known_ids`` are agencies already in the archive, which a ``parent`` may also name.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(str(path), None, f"cannot read the registry: {exc}") from exc
    reader = _Reader(path, text)
    entries = reader.entries()
    first_line: dict[str, int] = {}
    for e in entries:
        if e.id in first_line:
            reader.problem(
                e.line, f"duplicate id {e.id!r} (first defined on line {first_line[e.id]})"
            )
        else:
            first_line[e.id] = e.line
    ids = frozenset(first_line) | known_ids
    for e in entries:
        if e.parent is None:
            continue
        if e.parent == e.id:
            reader.problem(e.parent_line, f"agency {e.id!r} names itself as parent")
        elif e.parent not in ids:
            reader.problem(e.parent_line, f"unknown parent {e.parent!r} of agency {e.id!r}")
    if not reader.problems:
        _check_cycles(entries, reader)
    if reader.problems:
        reader.problems.sort(key=lambda p: p.line or 0)
        raise RegistryErrors(reader.problems)
    return entries


def _check_cycles(entries: list[RegistryEntry], reader: _Reader) -> None:
    parent = {e.id: e.parent for e in entries}
    for e in entries:
        seen = {e.id}
        cur = e.parent
        while cur is not None and cur in parent:
            if cur in seen:
                reader.problem(e.parent_line, f"agency {e.id!r} is its own ancestor (parent cycle)")
                break
            seen.add(cur)
            cur = parent[cur]


def in_parent_order(entries: list[RegistryEntry]) -> list[RegistryEntry]:
    """Parents before children, so foreign keys hold at every insert."""
    by_id = {e.id: e for e in entries}

    def depth(e: RegistryEntry) -> int:
        n = 0
        while e.parent is not None and e.parent in by_id:
            e = by_id[e.parent]
            n += 1
        return n

    return sorted(entries, key=depth)
