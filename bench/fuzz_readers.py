"""Fuzz the readers: mutated seed files and generated text fed to ``load_bytes``.

    .venv/bin/python bench/fuzz_readers.py [--minutes 5] [--out /tmp/qingdan-fuzz] [--seed N]

The corpus is every file in ../shared/seeds (or $QINGDAN_SEEDS) and examples/demo. Each example is
one corpus file under a name with one of the suffixes `qingdan import` reads, with its bytes
mutated by hypothesis-drawn operations (flip, insert, delete, duplicate, splice, truncate; for a
.docx/.xlsx, the same done to one XML member inside the zip) or a generated JSON/CSV text. It is
given to ``qingdan.ingest.load_bytes``, the function `qingdan import`, the web import and the API
import all call. Any exception other than ``QingdanError`` is a finding: the script saves the input
to --out, keeps going, and prints one line per distinct finding (exception type and the innermost
qingdan frame) with the count. It also prints the slowest inputs (a time over a few seconds is a
finding too: the readers must be linear). Exit status 1 when anything was found.

Not part of the test suite: it runs for minutes.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
SUFFIXES = [".txt", ".json", ".jsonl", ".csv", ".tsv", ".html", ".docx", ".xlsx", ".pdf", ".xls", ""]
SLOW_S = 5.0


def corpus() -> list[tuple[str, bytes]]:
    files = sorted(SEEDS.glob("*")) + sorted((ROOT / "examples" / "demo").glob("*"))
    return [(p.name, p.read_bytes()) for p in files if p.is_file() and p.suffix != ".md"]


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate", "special"]))
        at = draw(st.integers(0, max(len(buf) - 1, 0)))
        if op == "flip" and buf:
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del buf[at : at + draw(st.integers(1, 4096))]
        elif op == "duplicate":
            chunk = buf[at : at + draw(st.integers(1, 4096))]
            buf[at:at] = chunk * draw(st.integers(1, 50))
        elif op == "truncate":
            del buf[at:]
        else:
            buf[at:at] = draw(st.sampled_from(SPECIALS))
    return bytes(buf)


SPECIALS = [
    b"\x00",
    b"\\ud800",
    b'"\\udfff"',
    b"[" * 3000,
    b"{" * 3000,
    b" " * 100_000,
    b"<br" * 20_000,
    b"&amp;" * 5000,
    b'"',
    b"\r",
    b"\t\u3000\n",
    "[/bold]办公室[/]".encode(),
    "\u3000".encode() * 2000,
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    "序号\t主要职责\t具体工作事项\t责任科室\n".encode(),
]


def mutate_zip(data: bytes, draw: st.DrawFn) -> bytes:
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        members = [(i, source.read(i)) for i in source.infolist()]
    except Exception:
        return mutate(data, draw)
    xml = [n for n, (i, _) in enumerate(members) if i.filename.endswith(".xml")]
    if not xml:
        return mutate(data, draw)
    target = draw(st.sampled_from(xml))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (info, body) in enumerate(members):
            archive.writestr(info.filename, mutate(body, draw) if n == target else body)
    return out.getvalue()


def generated_text(draw: st.DrawFn) -> tuple[str, bytes]:
    """A small JSON or CSV document from scratch: random keys, values and nesting."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40))
    values = st.recursive(
        scalars,
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=20,
    )
    kind = draw(st.sampled_from(["json", "jsonl", "csv"]))
    if kind == "csv":
        rows = draw(st.lists(st.lists(st.text(max_size=20), min_size=1, max_size=6), min_size=1, max_size=8))
        text = "\n".join(",".join(r) for r in rows)
        return "gen.csv", text.encode("utf-8", "surrogatepass")
    import json

    doc = draw(values)
    if kind == "jsonl":
        return "gen.jsonl", "\n".join(json.dumps(doc) for _ in range(draw(st.integers(1, 3)))).encode()
    return "gen.json", json.dumps(doc).encode()


class Findings:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.kinds: Counter[str] = Counter()
        self.slowest: list[tuple[float, str, int]] = []
        self.runs = 0

    def run(self, name: str, data: bytes) -> None:
        from qingdan.errors import QingdanError
        from qingdan.ingest import load_bytes

        self.runs += 1
        start = time.perf_counter()
        try:
            load_bytes(name, data, department="模糊测试县科学技术局")
        except QingdanError:
            pass
        except Exception as exc:
            self.record(name, data, exc)
        took = time.perf_counter() - start
        self.slowest = sorted([*self.slowest, (took, name, len(data))], reverse=True)[:5]
        if took > SLOW_S:
            self.save(f"slow-{took:.0f}s", name, data)

    def record(self, name: str, data: bytes, exc: BaseException) -> None:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/qingdan/" in f.filename]
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        kind = f"{type(exc).__name__} at {where}: {str(exc)[:80]}"
        if kind not in self.kinds:
            self.save(type(exc).__name__, name, data)
            print(f"NEW {kind}  ({name}, {len(data)} bytes)", flush=True)
        self.kinds[kind] += 1

    def save(self, tag: str, name: str, data: bytes) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / f"{self.runs:06d}-{tag}-{name}").write_bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "qingdan-fuzz")
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()

    os.environ.setdefault("QINGDAN_DATA", tempfile.mkdtemp(prefix="qingdan-fuzz-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from qingdan.core.schema import ensure_schema

    ensure_schema()
    files = corpus()
    findings = Findings(args.out)
    deadline = time.monotonic() + args.minutes * 60

    started = time.monotonic()
    batch = 0
    while time.monotonic() < deadline:
        batch += 1
        run_batch(files, findings, args.seed + batch)
    minutes = (time.monotonic() - started) / 60
    print(
        f"\n{findings.runs} inputs in {minutes:.1f} min; corpus {len(files)} files from {SEEDS} and examples/demo"
    )
    for took, name, size in findings.slowest:
        print(f"  slowest: {took:.2f} s  {name} ({size:,} bytes)")
    for kind, count in findings.kinds.most_common():
        print(f"  {count:5d} × {kind}")
    print(
        "no finding"
        if not findings.kinds
        else f"{len(findings.kinds)} distinct findings, inputs in {args.out}"
    )
    return 1 if findings.kinds else 0


def run_batch(files: list[tuple[str, bytes]], findings: Findings, number: int) -> None:
    """200 hypothesis examples; run in batches so that a time limit needs no exception."""

    @seed(number)
    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one(data: st.DataObject) -> None:
        if data.draw(st.integers(0, 9)) == 0:
            findings.run(*generated_text(data.draw))
            return
        name, body = data.draw(st.sampled_from(files))
        suffix = data.draw(st.sampled_from([Path(name).suffix, *SUFFIXES]))
        zipped = body.startswith(b"PK\x03\x04")
        body = mutate_zip(body, data.draw) if zipped else mutate(body, data.draw)
        findings.run(Path(name).stem + suffix, body)

    one()


if __name__ == "__main__":
    sys.exit(main())
