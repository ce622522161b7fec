"""The clause inventory (DOC-1: a controlled document names the policy clauses it covers).

The inventory is the dashboards app's data file `dashboards/data/policy_clauses.md` (one table row per clause:
`| SRV-2 | … | marks |`). documents sits below dashboards, so it reads the file by path — never imports the
module — and caches the ids and texts for the life of the process.
"""

import functools
import re
from pathlib import Path

INVENTORY = Path(__file__).resolve().parent.parent / "dashboards" / "data" / "policy_clauses.md"
CLAUSE_ID = re.compile(r"^[A-Z]{2,4}-\d{1,3}$")
_ROW = re.compile(r"^\|\s*([A-Z]{2,4}-\d{1,3})\s*\|\s*(.+?)\s*\|\s*(.*?)\s*\|\s*$")


@functools.cache
def clause_inventory() -> dict[str, str]:
    """{clause id: its text}, in the inventory's order."""
    rows = {}
    for line in INVENTORY.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line.strip())
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


_SOURCE = re.compile(r"\(([^()]*\d{3}[^()]*)\)\s*$")


def clause_source(clause_id: str) -> str:
    """Where a clause comes from in the seeds (the inventory's closing parenthesis, e.g. "001 第八条")."""
    match = _SOURCE.search(clause_inventory().get(clause_id, ""))
    return match.group(1) if match else ""


def clause_choices() -> list[tuple[str, str]]:
    """For selects: the id and its source in the seeds (the Chinese documents), e.g. "SRV-4（001 第八条）"."""
    return [(cid, f"{cid}（{clause_source(cid)}）" if clause_source(cid) else cid) for cid in clause_inventory()]


def unknown_clauses(ids) -> list[str]:
    inventory = clause_inventory()
    return [cid for cid in ids if not CLAUSE_ID.match(cid or "") or cid not in inventory]


SEEDS = ("000", "001", "002", "003", "004")


def _names(seed: str, text: str) -> bool:
    return re.search(rf"(?<!\d){re.escape(seed)}(?!\d)", text) is not None


def clauses_of_seed(seed: str) -> list[str]:
    """The clauses whose source names seed `seed` ("000" … "004") — what a seed policy document covers. Seed 004
    also carries the 通程电器 service-management rules (the provider network, NET-*), which name no seed."""
    return [
        cid
        for cid, text in clause_inventory().items()
        if _names(seed, text) or (seed == "004" and not any(_names(other, text) for other in SEEDS))
    ]
