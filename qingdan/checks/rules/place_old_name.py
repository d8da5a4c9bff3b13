"""旧地名: an old name of this jurisdiction (鹿泉市 in a 鹿泉区 list) or of another one."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.data import Rename, renames
from qingdan.checks.places import segments
from qingdan.checks.registry import register
from qingdan.checks.text import clause


@register
class OldPlaceName(Check):
    id = "place.old-name"
    severity = WARNING
    title = "旧地名"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for passage in context.texts():
            quoted_seen: set[str] = set()
            for rename in renames():
                start = passage.text.find(rename.old)
                while start >= 0:
                    quoted = clause(passage.text, start, start + len(rename.old))
                    if quoted not in quoted_seen:
                        quoted_seen.add(quoted)
                        yield self._finding(context, passage.where, quoted, rename)
                    start = passage.text.find(rename.old, start + 1)

    def _finding(self, context: CheckContext, where: Location, quoted: str, rename: Rename) -> FindingRecord:
        new_short = segments(rename.new)[-1] if segments(rename.new) else rename.new
        if is_ours(rename, context.jurisdiction):
            message = f"「{rename.old}」是本地区的旧称：{rename.date} {rename.note}"
        else:
            message = f"「{rename.old}」是旧地名，现为{rename.new}（{rename.date} {rename.note}）"
        return self.finding(
            where,
            message,
            quoted,
            f"改为「{new_short}」；所引文件如已被新文件取代，改引新文件",
        )


def is_ours(rename: Rename, jurisdiction: str) -> bool:
    if not jurisdiction:
        return False
    parts = segments(rename.new)
    return rename.new.endswith(jurisdiction) or bool(parts and jurisdiction.endswith(parts[-1]))
