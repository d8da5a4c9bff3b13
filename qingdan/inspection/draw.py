"""``qingdan-draw/1``: the published draw (docs/draw.md, with a reference script anyone can run).

Everything here is a pure function of published data — the population lines, the ratios, the
inspector pool with its declared conflicts, and the seed — so the portal's JSON is enough to
reproduce a draw. No database, no clock, no Python ``random``.

- population hash: SHA-256 (hex) of the UTF-8 lines ``stratum<TAB>id``, sorted, joined by ``\\n``;
- ticket(id) = SHA-256 (hex) of ``seed\\nstratum\\nid``; in each stratum the ceil(ratio × size) ids
  with the smallest tickets are selected (ties, which SHA-256 makes practically impossible, by id);
  the ratio is a decimal string and the product is exact (a fraction, never a float);
- inspectors hash: SHA-256 of the sorted lines ``department<TAB>inspector`` (the pool) and
  ``department<TAB>inspector<TAB>inspectee`` (the declared conflicts), joined by ``\\n``;
- inspectors: for each selected inspectee, in ticket order, and for each participating department
  in the published order, the ``required`` eligible inspectors (in that department's pool, no
  declared conflict with the inspectee) with the smallest SHA-256 of ``seed\\ninspectee\\ninspector``.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from qingdan.errors import QingdanError

ALGORITHM = "qingdan-draw/1"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def population_sha256(pairs: Iterable[tuple[str, str]]) -> str:
    """``pairs`` are (stratum, id)."""
    return sha256("\n".join(sorted(f"{stratum}\t{ident}" for stratum, ident in pairs)))


def ratio_of(text: str) -> Fraction:
    """A ratio written as a decimal (``0.2``, ``1``) or a percentage (``20%``), exactly."""
    raw = str(text).strip()
    try:
        value = Fraction(raw[:-1]) / 100 if raw.endswith(("%", "％")) else Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise QingdanError(f"抽查比例「{text}」不是数字（如 0.2 或 20%）。") from None
    if not 0 <= value <= 1:
        raise QingdanError(f"抽查比例「{text}」须在 0 到 1 之间（0% 到 100%）。")
    return value


def ratio_text(value: Fraction) -> str:
    """The canonical decimal string of a ratio (what is published and hashed into nothing else)."""
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.10f}".rstrip("0")
    if Fraction(text) != value:
        raise QingdanError(f"抽查比例 {value} 不是有限小数，请写成小数。")
    return text


def count(ratio: Fraction, size: int) -> int:
    return min(size, math.ceil(ratio * size))


def ticket(seed: str, stratum: str, ident: str) -> str:
    return sha256(f"{seed}\n{stratum}\n{ident}")


def select(seed: str, stratum: str, ratio: Fraction, ids: Iterable[str]) -> list[tuple[str, str]]:
    """The selected (ticket, id) of one stratum, smallest ticket first."""
    members = sorted(set(ids))
    tickets = sorted((ticket(seed, stratum, ident), ident) for ident in members)
    return tickets[: count(ratio, len(members))]


@dataclass
class Pool:
    """One participating department's inspectors: ids (执法证号), the required number per task,
    and the declared conflicts as (inspector, inspectee) pairs."""

    department: str
    required: int
    inspectors: list[str]
    conflicts: set[tuple[str, str]] = field(default_factory=set)

    def eligible(self, inspectee: str) -> list[str]:
        excluded = self._excluded().get(inspectee, ())
        return [i for i in self.inspectors if i not in excluded]

    def _excluded(self) -> dict[str, set[str]]:
        # by inspectee, built once: a draw asks for every selected inspectee (20,000 in bench/draw)
        cached: dict[str, set[str]] | None = self.__dict__.get("_by_inspectee")
        if cached is None:
            cached = {}
            for inspector, inspectee in self.conflicts:
                cached.setdefault(inspectee, set()).add(inspector)
            self.__dict__["_by_inspectee"] = cached
        return cached


def inspectors_sha256(pools: Sequence[Pool]) -> str:
    lines = [f"{p.department}\t{i}" for p in pools for i in p.inspectors]
    lines += [f"{p.department}\t{i}\t{e}" for p in pools for i, e in p.conflicts]
    return sha256("\n".join(sorted(lines)))


def assign(seed: str, inspectee: str, pools: Sequence[Pool]) -> list[str]:
    chosen: list[str] = []
    # SHA-256 of seed\ninspectee\ninspector for every eligible inspector: the common prefix is hashed
    # once and copied; raw digests order as their hex does
    prefix = hashlib.sha256(f"{seed}\n{inspectee}\n".encode())
    for pool in pools:
        ranked = []
        for ident in pool.eligible(inspectee):
            digest = prefix.copy()
            digest.update(ident.encode("utf-8"))
            ranked.append((digest.digest(), ident))
        if len(ranked) < pool.required:
            raise QingdanError(
                f"{pool.department}可为检查对象 {inspectee} 指派的检查人员只有 {len(ranked)} 名，少于 {pool.required} 名。"
            )
        chosen += [i for _, i in heapq.nsmallest(pool.required, ranked)]
    return chosen


@dataclass
class Result:
    strata: dict[str, list[tuple[str, str]]]  # stratum -> selected (ticket, id), smallest first
    order: list[tuple[str, str, str]]  # (ticket, id, stratum) of every selected id, ticket order
    assignments: dict[str, list[str]]  # inspectee -> inspectors


def run(seed: str, strata: dict[str, tuple[Fraction, list[str]]], pools: Sequence[Pool]) -> Result:
    """The whole draw: ``strata`` maps a stratum to its ratio and member ids."""
    if not seed.strip():
        raise QingdanError("随机数不能为空。")
    chosen = {name: select(seed, name, ratio, ids) for name, (ratio, ids) in strata.items()}
    order = sorted((t, ident, name) for name, picked in chosen.items() for t, ident in picked)
    return Result(chosen, order, {ident: assign(seed, ident, pools) for _, ident, _ in order})


def document(
    *,
    plan: str,
    seed: str,
    strata: dict[str, tuple[Fraction, list[str]]],
    pools: Sequence[Pool],
    result: Result | None,
) -> dict[str, Any]:
    """The published JSON (``qingdan draw show --json`` and the portal's draw.json)."""
    pairs = [(name, ident) for name, (_, ids) in strata.items() for ident in ids]
    return {
        "algorithm": ALGORITHM,
        "plan": plan,
        "seed": seed,
        "population_sha256": population_sha256(pairs),
        "strata": [
            {
                "name": name,
                "ratio": ratio_text(ratio),
                "population": sorted(ids),
                "selected": [ident for _, ident in result.strata[name]] if result else [],
            }
            for name, (ratio, ids) in sorted(strata.items())
        ],
        "inspectors_sha256": inspectors_sha256(pools),
        "inspectors": [
            {
                "department": p.department,
                "required": p.required,
                "pool": sorted(p.inspectors),
                "conflicts": sorted([i, e] for i, e in p.conflicts),
            }
            for p in pools
        ],
        "assignments": (
            [{"inspectee": ident, "inspectors": result.assignments[ident]} for _, ident, _ in result.order]
            if result
            else []
        ),
    }


def verify(published: Any) -> list[str]:
    """What does not hold in a published draw document (empty: it holds). Recomputes the hashes,
    the selection and the assignments from the document's own data."""
    try:
        return _verify(published)
    except QingdanError as error:
        return [error.message]
    except KeyError as error:
        return [f"文件不是完整的 {ALGORITHM} 抽取文件：缺少字段「{error.args[0]}」。"]
    except (TypeError, ValueError, AttributeError):
        return [f"文件不是 {ALGORITHM} 抽取文件：字段的格式不对。"]


def _verify(published: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if published.get("algorithm") != ALGORITHM:
        return [f"算法为「{published.get('algorithm')}」，不是 {ALGORITHM}。"]
    strata = {s["name"]: (ratio_of(s["ratio"]), list(s["population"])) for s in published["strata"]}
    pools = [
        Pool(p["department"], int(p["required"]), list(p["pool"]), {(i, e) for i, e in p["conflicts"]})
        for p in published["inspectors"]
    ]
    pairs = [(name, ident) for name, (_, ids) in strata.items() for ident in ids]
    if population_sha256(pairs) != published["population_sha256"]:
        problems.append("检查对象名单与公布的摘要不符（population_sha256）：名单在公布后被改动过。")
    if inspectors_sha256(pools) != published.get("inspectors_sha256"):
        problems.append("检查人员名单与公布的摘要不符（inspectors_sha256）：名单在公布后被改动过。")
    if not published.get("seed"):
        return problems
    result = run(published["seed"], strata, pools)
    for s in published["strata"]:
        expected = [ident for _, ident in result.strata[s["name"]]]
        if list(s["selected"]) != expected:
            problems.append(f"第「{s['name']}」层抽中的对象与按随机数重算的结果不符。")
    expected_assignments = [
        {"inspectee": ident, "inspectors": result.assignments[ident]} for _, ident, _ in result.order
    ]
    if published["assignments"] != expected_assignments:
        problems.append("检查人员的指派与按随机数重算的结果不符。")
    return problems
