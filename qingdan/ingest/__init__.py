"""From a file to a ListRecord: read (any format) → interpret → validate.

``load_bytes`` is the one entry point the CLI, the web UI and the API use; it never writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qingdan.ingest.problems import IngestError, Problem
from qingdan.ingest.records import FORMAT, ListRecord


@dataclass
class Loaded:
    record: ListRecord
    warnings: list[Problem] = field(default_factory=list)
    department: str = ""  # the --department given; for a multi-department export, the fallback

    @property
    def is_multi(self) -> bool:
        """One export holding several departments' powers, to be split when stored."""
        return not self.record.department and bool(self.record.powers)


def load_bytes(name: str, data: bytes, department: str = "", jurisdiction: str = "") -> Loaded:
    """Read and interpret one file within QINGDAN_PARSE_SECONDS; raises IngestError naming every
    problem by position."""
    from qingdan.ingest.safety import check_size, parse_budget

    check_size(name, len(data))
    with parse_budget(name):
        return _load(name, data, department, jurisdiction)


def _load(name: str, data: bytes, department: str, jurisdiction: str) -> Loaded:
    from qingdan.ingest.exchange import is_exchange_document, record_from_exchange
    from qingdan.ingest.interpret import interpret
    from qingdan.ingest.readers import read_bytes
    from qingdan.ingest.validate import validate

    if is_exchange_document(name, data):
        record = record_from_exchange(name, data)
        record.stated_department = record.department
        if department:
            record.department = department
        if jurisdiction:
            record.jurisdiction = jurisdiction
        warnings: list[Problem] = []
    else:
        result = interpret(read_bytes(name, data), department, jurisdiction)
        record, warnings = result.record, result.warnings
    loaded = Loaded(record, warnings, department)
    validate(record, name, multi=loaded.is_multi)
    return loaded


def load_path(path: Path, department: str = "", jurisdiction: str = "") -> Loaded:
    from qingdan.ingest.readers import read_path_bytes

    return load_bytes(path.name, read_path_bytes(path), department, jurisdiction)


__all__ = ["FORMAT", "IngestError", "Loaded", "Problem", "load_bytes", "load_path"]
