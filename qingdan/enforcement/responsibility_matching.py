"""Each 职责 of the 执法责任制 against the 主要职责 of the department's published 责任清单, so the two
documents can be reviewed side by side.

The similarity is TF-IDF cosine over jieba words (the search index's segmentation), without the
words every duty uses (负责, 组织, 推进 …). The overlap check's character 2–3-grams are made for
near-identical short items of one genre; a 职责 and a 主要职责 are long sentences written
separately, where character grams score every pair alike (seed 003 against seed 000: all but one
pair under 0.2) and words tell them apart (0.25–0.45 for the pairs a reader would make).

Each 职责 is paired with its most similar 主要职责 at or above the threshold; several 职责 may
pair with one 主要职责, because the two documents cut the same work differently (003's 职责 6 and
7 are both in 000's 主要职责 7). A 主要职责 no 职责 pairs with is "only in the list"."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qingdan.catalog.currency import current_version
from qingdan.catalog.models import ListVersion
from qingdan.checks.overlap import Vector, cosine
from qingdan.enforcement.models import ResponsibilityDuty, ResponsibilitySystem

# Below this cosine a 职责 and a 主要职责 are not shown as a pair.
MATCH_THRESHOLD = 0.2
# Words nearly every duty of every department uses: they say nothing about which duty it is.
COMMON_WORDS = frozenset(
    [
        "负责",
        "组织",
        "工作",
        "相关",
        "有关",
        "推动",
        "推进",
        "实施",
        "管理",
        "全市",
        "全区",
        "全县",
        "建设",
        "发展",
        "促进",
        "指导",
        "拟订",
        "承担",
        "开展",
        "加强",
        "提出",
        "研究",
        "会同",
        "部门",
        "措施",
        "政策",
        "规划",
    ]
)


@dataclass(frozen=True)
class ListDuty:
    """A 主要职责 of the list."""

    number: str
    text: str
    position: int


@dataclass(frozen=True)
class DutyMatch:
    duty: ResponsibilityDuty
    list_duty: ListDuty
    similarity: float


@dataclass
class Matching:
    version: ListVersion | None
    matched: list[DutyMatch] = field(default_factory=list)
    only_in_system: list[ResponsibilityDuty] = field(default_factory=list)
    only_in_list: list[ListDuty] = field(default_factory=list)

    def match_for(self, duty: ResponsibilityDuty) -> DutyMatch | None:
        return next((m for m in self.matched if m.duty.pk == duty.pk), None)

    def as_json(self) -> dict[str, Any]:
        def own(d: ResponsibilityDuty) -> dict[str, str]:
            return {"number": d.number, "text": d.text}

        def listed(d: ListDuty) -> dict[str, str]:
            return {"number": d.number, "text": d.text}

        return {
            "list_version": self.version.number if self.version else None,
            "matched": [
                {"similarity": round(m.similarity, 3), "duty": own(m.duty), "list_duty": listed(m.list_duty)}
                for m in self.matched
            ],
            "only_in_responsibility": [own(d) for d in self.only_in_system],
            "only_in_list": [listed(d) for d in self.only_in_list],
        }


def list_duties(version: ListVersion) -> list[ListDuty]:
    return [ListDuty(d.no or str(i + 1), d.text, i) for i, d in enumerate(version.duties.all())]


def words(text: str) -> list[str]:
    from qingdan.search.text import tokens

    return [w for w in tokens(text) if len(w) > 1 and w not in COMMON_WORDS]


def vectors(texts: list[str]) -> list[Vector]:
    """TF-IDF (sublinear tf, smoothed idf, unit length) of each text's words, over ``texts``."""
    counted = [Counter(words(t)) for t in texts]
    df = Counter(w for c in counted for w in c)
    idf = {w: math.log((len(texts) + 1) / (n + 1)) + 1 for w, n in df.items()}
    ids = {w: i for i, w in enumerate(df)}
    out = []
    for c in counted:
        weights = {ids[w]: (1 + math.log(n)) * idf[w] for w, n in c.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        out.append({g: x / norm for g, x in weights.items()})
    return out


def match_duties(system: ResponsibilitySystem, threshold: float = MATCH_THRESHOLD) -> Matching:
    """The system's 职责 paired with its department's current published list (none without one)."""
    duties = list(system.duties.all())
    version = current_version(system.department)
    if version is None:
        return Matching(None, only_in_system=duties)
    listed = list_duties(version)
    vecs = vectors([d.text for d in duties] + [d.text for d in listed])
    own, theirs = vecs[: len(duties)], vecs[len(duties) :]
    matching = Matching(version)
    for duty, vec in zip(duties, own, strict=True):
        scores = [(cosine(vec, other), k) for k, other in enumerate(theirs)]
        best, k = max(scores, default=(0.0, -1))
        if best >= threshold:
            matching.matched.append(DutyMatch(duty, listed[k], best))
        else:
            matching.only_in_system.append(duty)
    paired = {m.list_duty.position for m in matching.matched}
    matching.only_in_list = [d for d in listed if d.position not in paired]
    return matching
