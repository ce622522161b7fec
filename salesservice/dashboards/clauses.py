"""The clause inventory as data (issue 16 §4): every rule of the seeds with its id, text, source and marks.

Loaded from the versioned file `data/policy_clauses.md` (the team's POLICY_CLAUSES.md, kept in the product so the
report and the docstrings cite the same ids); its version is the file's SHA-256 prefix, printed on every report.
A table row `| SRV-2 | text (002 §6.6.2) | enforce (SLA clock), remind, measure |` under a `## Area` heading is one
clause; the source is the last parenthesis of the text (else of the area heading: `## … (004 通程)`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from pathlib import Path

INVENTORY = Path(__file__).resolve().parent / "data" / "policy_clauses.md"
TITLES_ZH = INVENTORY.with_suffix(".zh.json")  # a Chinese title per clause and area, for the Chinese-first UI
MARKS = ("record", "enforce", "measure", "remind")
MARK_LABELS = {"record": "记录", "enforce": "强制", "measure": "度量", "remind": "提醒"}
_ROW = re.compile(r"^\|\s*([A-Z]{3}-\d+)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|\s*$")
_SOURCE = re.compile(r"\(([^()]*)\)\s*$")


@dataclasses.dataclass(frozen=True)
class Clause:
    id: str
    area: str
    text: str
    source: str
    marks: tuple[str, ...]  # of MARKS, in the file's order
    marks_text: str  # the marks column as written, with its qualifiers ("enforce (SLA clock)")
    title: str = ""  # the Chinese title (data/policy_clauses.zh.json); the text stays the inventory's wording
    area_title: str = ""

    @property
    def marks_display(self) -> str:
        return "、".join(MARK_LABELS[mark] for mark in self.marks)


def parse(text: str) -> list[Clause]:
    clauses: list[Clause] = []
    area = ""
    for line in text.splitlines():
        if line.startswith("## "):
            area = line[3:].strip()
            continue
        match = _ROW.match(line)
        if not match:
            continue
        clause_id, body, marks_text = match.groups()
        source_match = _SOURCE.search(body)
        area_source = _SOURCE.search(area)
        source = source_match.group(1) if source_match else (area_source.group(1) if area_source else "")
        marks = tuple(mark for mark in MARKS if re.search(rf"\b{mark}\b", marks_text))
        clauses.append(Clause(clause_id, area, body, source, marks, marks_text))
    return clauses


@functools.cache
def inventory() -> tuple[list[Clause], str]:
    """(every clause in file order with its Chinese title, the inventory version — of the clauses file)."""
    raw = INVENTORY.read_bytes()
    titles = json.loads(TITLES_ZH.read_text(encoding="utf-8"))
    areas = titles.pop("_areas", {})
    items = [
        dataclasses.replace(clause, title=titles.get(clause.id, ""), area_title=areas.get(clause.area, clause.area))
        for clause in parse(raw.decode("utf-8"))
    ]
    return items, hashlib.sha256(raw).hexdigest()[:12]


def clauses() -> list[Clause]:
    return inventory()[0]


def inventory_version() -> str:
    return inventory()[1]


def clause_ids() -> set[str]:
    return {clause.id for clause in clauses()}
