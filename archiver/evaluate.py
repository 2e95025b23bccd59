"""How well the generic parser reads news pages it has no rules for, beside extraction libraries.

    python -m archiver.evaluate [FOLDER] [--check] [--pages]

FOLDER holds whole pages (``<name>.html``, in the page's own encoding) with their
ground truth beside them (``<name>.json``: url, content_type, title, published,
text; or ``not_article`` for pages that must be refused). Default: the repository's
``tests/fixtures/generic``. Printed per extractor: body token F1 (mean and lowest;
the article-extraction benchmarks' metric: precision and recall of the main text's
tokens, Chinese by character, Latin by word), the share of Chinese pages whose
title is exact, the share of pages whose publication time is right to the minute,
and the time per page. trafilatura and readability-lxml are measured when they are
installed. ``--check`` exits 1 when the archiver falls below the floors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from archiver.extract import generic
from archiver.extract.encoding import decode_html
from archiver.items import ParseError

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "generic"
#: The issue's floors: body F1 (mean), exact titles (Chinese pages), time to the minute.
F1_FLOOR, TITLE_FLOOR, TIME_FLOOR = 0.95, 0.95, 0.90
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def tokens(text: str) -> Counter:
    """Chinese characters one by one, Latin words and numbers lowercased; no punctuation."""
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def body_f1(got: str, want: str) -> tuple[float, float, float]:
    """(F1, precision, recall) of the tokens of ``got`` against ``want`` (bags of tokens)."""
    g, w = tokens(got), tokens(want)
    common = sum((g & w).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(g.values()), common / sum(w.values())
    return 2 * precision * recall / (precision + recall), precision, recall


def html_text(fragment: str) -> str:
    if not fragment or not fragment.strip():
        return ""
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()


def same_minute(a: datetime | None, b: datetime) -> bool:
    if a is None:
        return False
    if a.tzinfo is None:
        return False
    return a.astimezone(UTC).replace(second=0, microsecond=0) == b.astimezone(UTC).replace(
        second=0, microsecond=0
    )


@dataclass
class Case:
    name: str
    truth: dict
    html: str

    @property
    def is_article(self) -> bool:
        return "not_article" not in self.truth

    @property
    def chinese(self) -> bool:
        return bool(_CJK.search(self.truth.get("title", "")))


def load_cases(folder: Path) -> list[Case]:
    cases = []
    for truth_path in sorted(Path(folder).glob("*.json")):
        page = truth_path.with_suffix(".html")
        if not page.is_file():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        cases.append(Case(truth_path.stem, truth, decode_html(page.read_bytes(), truth.get("content_type"))))
    return cases


@dataclass
class Extraction:
    text: str = ""
    title: str = ""
    published: datetime | None = None
    refused: str = ""  # why the extractor said the page is not an article


def run_archiver(case: Case) -> Extraction:
    try:
        article = generic.parse(case.html, case.truth["url"])
    except ParseError as exc:
        return Extraction(refused=str(exc))
    return Extraction(html_text(article.body_html), article.title, article.published)


def run_trafilatura(case: Case) -> Extraction:
    import trafilatura

    doc = trafilatura.bare_extraction(
        case.html, url=case.truth["url"], with_metadata=True, include_comments=False, include_tables=True
    )
    if doc is None:
        return Extraction(refused="no extraction")
    published = None
    if doc.date:
        try:  # trafilatura's dates are days; read as midnight in the page's zone
            published = datetime.fromisoformat(doc.date).replace(tzinfo=generic.CHINA_TZ)
        except ValueError:
            published = None
    return Extraction(doc.text or "", doc.title or "", published)


def run_readability(case: Case) -> Extraction:
    from readability import Document

    doc = Document(case.html)
    return Extraction(html_text(doc.summary(html_partial=True)), doc.short_title() or "", None)


EXTRACTORS = {"archiver": run_archiver, "trafilatura": run_trafilatura, "readability": run_readability}


def available(name: str) -> bool:
    module = {"trafilatura": "trafilatura", "readability": "readability"}.get(name)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@dataclass
class Report:
    extractor: str
    rows: list = field(default_factory=list)  # (case, f1, precision, recall, title ok, time ok, ms, refused)
    refusals: list = field(default_factory=list)  # (case, refused?, reason)

    @property
    def mean_f1(self) -> float:
        return sum(r[1] for r in self.rows) / len(self.rows) if self.rows else 0.0

    @property
    def min_f1(self) -> float:
        return min((r[1] for r in self.rows), default=0.0)

    @property
    def title_rate(self) -> float:
        chinese = [r for r in self.rows if r[0].chinese]
        return sum(r[4] for r in chinese) / len(chinese) if chinese else 0.0

    @property
    def time_rate(self) -> float:
        return sum(r[5] for r in self.rows) / len(self.rows) if self.rows else 0.0

    @property
    def ms_per_page(self) -> float:
        return sum(r[6] for r in self.rows) / len(self.rows) if self.rows else 0.0

    def below_floors(self) -> list[str]:
        problems = []
        if self.mean_f1 < F1_FLOOR:
            problems.append(f"body F1 {self.mean_f1:.3f} < {F1_FLOOR}")
        if self.title_rate < TITLE_FLOOR:
            problems.append(f"exact titles {self.title_rate:.1%} < {TITLE_FLOOR:.0%}")
        if self.time_rate < TIME_FLOOR:
            problems.append(f"times to the minute {self.time_rate:.1%} < {TIME_FLOOR:.0%}")
        refused = [c.name for c, ok, _ in self.refusals if not ok]
        if refused:
            problems.append(f"pages that are not articles were read as articles: {', '.join(refused)}")
        return problems


def evaluate(cases: list[Case], extractor: str) -> Report:
    run = EXTRACTORS[extractor]
    report = Report(extractor)
    for case in cases:
        start = time.perf_counter()
        got = run(case)
        ms = (time.perf_counter() - start) * 1000
        if not case.is_article:
            report.refusals.append((case, bool(got.refused), got.refused))
            continue
        f1, precision, recall = body_f1(got.text, case.truth["text"])
        title_ok = got.title == case.truth["title"]
        time_ok = same_minute(got.published, datetime.fromisoformat(case.truth["published"]))
        report.rows.append((case, f1, precision, recall, title_ok, time_ok, ms, got.refused))
    return report


def print_report(report: Report, per_page: bool, out=None) -> None:
    out = out or sys.stdout
    chinese = sum(1 for r in report.rows if r[0].chinese)
    print(
        f"\n== {report.extractor}: {len(report.rows)} article pages ({chinese} Chinese), "
        f"{len(report.refusals)} pages that are not articles",
        file=out,
    )
    if per_page:
        for case, f1, p, r, title_ok, time_ok, ms, refused in report.rows:
            note = f"  refused: {refused}" if refused else ""
            print(
                f"  {case.name:16} F1 {f1:.3f} (P {p:.3f} R {r:.3f})  title {'ok ' if title_ok else 'BAD'}"
                f"  time {'ok ' if time_ok else 'BAD'}  {ms:6.1f} ms{note}",
                file=out,
            )
        for case, ok, reason in report.refusals:
            print(
                f"  {case.name:16} not an article ({case.truth['not_article']}): "
                f"{'refused: ' + reason if ok else 'READ AS AN ARTICLE'}",
                file=out,
            )
    print(
        f"  body token F1    mean {report.mean_f1:.3f}  lowest {report.min_f1:.3f}   (floor {F1_FLOOR})",
        file=out,
    )
    print(
        f"  exact title      {report.title_rate:.1%} of Chinese pages   (floor {TITLE_FLOOR:.0%})", file=out
    )
    print(f"  time to minute   {report.time_rate:.1%} of pages   (floor {TIME_FLOOR:.0%})", file=out)
    print(f"  speed            {report.ms_per_page:.1f} ms per page", file=out)
    held = Report(report.extractor, [r for r in report.rows if r[0].truth.get("holdout")])
    if held.rows:
        print(
            f"  held-out outlets ({len(held.rows)} pages written after the extractor was first tuned): "
            f"F1 mean {held.mean_f1:.3f} lowest {held.min_f1:.3f}, exact titles {held.title_rate:.0%}, "
            f"times {held.time_rate:.0%}",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archiver.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--pages", action="store_true", help="print every page's figures")
    parser.add_argument("--check", action="store_true", help="exit 1 when the archiver is below the floors")
    parser.add_argument("--only", choices=sorted(EXTRACTORS), help="one extractor")
    args = parser.parse_args(argv)
    cases = load_cases(args.folder)
    if not cases:
        print(f"no pages with ground truth in {args.folder}", file=sys.stderr)
        return 2
    print(f"{len(cases)} pages from {args.folder}")
    status = 0
    for name in [args.only] if args.only else EXTRACTORS:
        if not available(name):
            print(
                f"\n== {name}: not installed (pip install {'readability-lxml' if name == 'readability' else name})"
            )
            continue
        report = evaluate(cases, name)
        print_report(report, args.pages)
        if name == "archiver":
            problems = report.below_floors()
            for problem in problems:
                print(f"  BELOW FLOOR: {problem}")
            if problems and args.check:
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
