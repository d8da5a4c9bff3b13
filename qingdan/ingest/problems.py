"""Problems found while reading or interpreting a file, each named by its position."""

from __future__ import annotations

from dataclasses import dataclass

from qingdan.errors import QingdanError
from qingdan.ingest.raw import SourcePos


@dataclass(frozen=True)
class Problem:
    pos: SourcePos
    message: str
    field: str = ""
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.pos.describe(self.field)}: {self.message}"
        return f"{text}。{self.hint}" if self.hint else text


class IngestError(QingdanError):
    """A file that cannot be imported; ``problems`` lists every reason by position."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def fail(pos: SourcePos, message: str, field: str = "", hint: str = "") -> IngestError:
    return IngestError([Problem(pos, message, field, hint)])
