"""How well the generic parser reads news pages it has no rules for, beside extraction libraries.

    python -m archiver.evaluate [--pages DIR ...] [--per-page] [--check] [--only NAME]

Without ``--pages``: the project's own generated pages (``tests/fixtures/generic``) and
the real-page set (``tests/fixtures/realpages/fundus-dev``: 129 pages of 90 publishers,
MIT, from the Fundus project). ``--pages DIR`` scores any folder in the same layout:
pages ``<name>.html`` or ``<name>.html.gz`` (in the page's own encoding, any depth),
the truth ``<name>.json`` beside each (the generic fixtures' ``text`` or Fundus's
``body_paragraphs``; ``not_article`` for a page that must be refused). A page with no
truth beside it is looked up in the hand-checked truth kept in the repository
(``tests/fixtures/realpages/*.truth.json``: title, time, first and last sentence, keyed
by the page's SHA-256; its body figure is then "body edges": the first and last sentence
at the body's edges), else it is scored for refusals only (``--per-page`` shows what was
read, to check by eye).

Printed per extractor and folder: body F1 (4-gram shingles of ``\\w+`` tokens, each
CJK character a token; a refusal counts as an empty body), exact titles, times right
to the minute, refusals by reason, and the median CPU time per page: the extraction
alone (not the scoring), beside lxml's parse alone of the same page timed in turn with
it (the ratio is what a loaded machine changes least). trafilatura
(``favor_precision``) and readability-lxml are measured when installed. ``--check``
exits 1 when the archiver falls below a folder's floors (:data:`FLOORS`).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from archiver.extract import generic
from archiver.extract.dom import squash
from archiver.extract.encoding import decode_html
from archiver.items import ParseError

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DEFAULT_FOLDER = FIXTURES / "generic"
REAL_FOLDER = FIXTURES / "realpages" / "fundus-dev"
DEFAULT_FOLDERS = (DEFAULT_FOLDER, REAL_FOLDER)
#: Hand-checked truth for pages that stay outside the repository (licence).
HAND_TRUTH = sorted((FIXTURES / "realpages").glob("*.truth.json"))


@dataclass(frozen=True)
class Floors:
    """Least figures of the archiver on a folder: body F1 (mean), exact titles, times."""

    f1: float
    title: float
    time: float
    #: Most articles refused.
    refused: int = 0


#: The CI gate (tests/e2e/test_eval_gate.py): a little under what the archiver reaches,
#: so that a real regression fails. Keyed by the folder's name.
FLOORS = {
    "generic": Floors(0.95, 0.95, 0.90, 0),
    "fundus-dev": Floors(0.93, 0.78, 0.94, 2),
}
#: The fetch time given to the parser (as the spider gives it): a page without any date
#: is read, with this time, and its time counts as wrong.
FETCHED = datetime(2000, 1, 1, tzinfo=UTC)
SHINGLE = 4
_WORD = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\U00020000-\U0003ffff]|[^\W\u3400-\u9fff\u3040-\u30ff]+"
)


def words(text: str) -> list[str]:
    """``\\w+`` tokens lowercased; each CJK character (a ``\\w+`` run of Chinese is a clause) alone."""
    return [t.lower() for t in _WORD.findall(text or "")]


def shingles(text: str) -> Counter:
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def body_f1(got: str, want: str) -> tuple[float, float, float]:
    """(F1, precision, recall) of the 4-gram shingles of ``got`` against ``want``."""
    g, w = shingles(got), shingles(want)
    common = sum((g & w).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(g.values()), common / sum(w.values())
    return 2 * precision * recall / (precision + recall), precision, recall


#: Characters of other text a body may hold before its first or after its last sentence.
EDGE = 30


def body_edges(got: str, truth: dict) -> tuple[float, float, float]:
    """For hand-checked truth (first and last sentence only): (mean, first ok, last ok),
    a sentence being ok when the body holds it within :data:`EDGE` characters of its edge."""
    text = re.sub(r"\s+", "", got or "")
    first, last = (re.sub(r"\s+", "", truth[k]) for k in ("first_sentence", "last_sentence"))
    i, j = text.find(first), text.rfind(last)
    first_ok = float(0 <= i <= EDGE)
    last_ok = float(j >= 0 and len(text) - (j + len(last)) <= EDGE)
    return (first_ok + last_ok) / 2, first_ok, last_ok


def html_text(fragment: str) -> str:
    if not fragment or not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for el in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote"):
        el.tail = "\n" + (el.tail or "")
    return root.text_content()


def same_minute(got: datetime | None, want: datetime) -> bool:
    """Right to the minute; a truth stored without its zone is compared as printed."""
    if got is None or got.tzinfo is None:
        return False
    if want.tzinfo is None:
        return got.replace(tzinfo=None, second=0, microsecond=0) == want.replace(second=0, microsecond=0)
    return got.astimezone(UTC).replace(second=0, microsecond=0) == want.astimezone(UTC).replace(
        second=0, microsecond=0
    )


@dataclass
class Case:
    name: str
    truth: dict  # url, title, published (ISO, may lack its zone), text; or not_article; {} unlabelled
    html: str

    @property
    def labelled(self) -> bool:
        return bool(self.truth.get("title") or "not_article" in self.truth)

    @property
    def is_article(self) -> bool:
        return "not_article" not in self.truth

    @property
    def url(self) -> str:
        return self.truth.get("url") or f"https://unlabelled.example/{self.name}.html"


def _normal_truth(raw: dict) -> dict:
    """The generic fixtures' truth as it is; Fundus's (``body_paragraphs``…) in the same keys."""
    truth = dict(raw)
    if "body_paragraphs" in raw:
        truth["text"] = "\n".join(list(raw.get("section_headlines") or []) + list(raw["body_paragraphs"]))
        if raw.get("published") and raw.get("published_has_offset") is False:
            truth["published"] = raw["published"][:19]
    return truth


def _hand_truth() -> dict:
    entries: dict = {}
    for path in HAND_TRUTH:
        for entry in json.loads(path.read_text(encoding="utf-8")):
            entries[entry["sha256"]] = entry
    return entries


def _page_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith((".html", ".html.gz")) and p.is_file())


def load_cases(folder: Path, unlabelled: bool = False) -> list[Case]:
    """The pages under ``folder`` with their truth (beside them, else hand-checked);
    pages without truth too when ``unlabelled``."""
    folder = Path(folder)
    hand = _hand_truth()
    cases = []
    for page in _page_files(folder):
        stem = page.name.removesuffix(".gz").removesuffix(".html")
        raw = page.read_bytes()
        if page.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        name = str(page.relative_to(folder).parent / stem).removeprefix("./")
        truth_path = page.with_name(stem + ".json")
        if truth_path.is_file():
            truth = _normal_truth(json.loads(truth_path.read_text(encoding="utf-8")))
        elif hashlib.sha256(raw).hexdigest() in hand:
            truth = dict(hand[hashlib.sha256(raw).hexdigest()])
        elif unlabelled:
            truth = {}
        else:
            continue
        cases.append(Case(name, truth, decode_html(raw, truth.get("content_type"))))
    return cases


@dataclass
class Extraction:
    text: str = ""
    title: str = ""
    published: datetime | None = None
    refused: str = ""  # why the extractor said the page is not an article


# Each extractor is two steps: the call a user's run pays (timed), then what only the
# scoring needs (the body's HTML as plain text; not timed).


def extract_archiver(case: Case):
    try:
        return generic.parse(case.html, case.url, fetched=FETCHED)
    except ParseError as exc:
        return exc


def read_archiver(article) -> Extraction:
    if isinstance(article, ParseError):
        return Extraction(refused=str(article))
    return Extraction(html_text(article.body_html), article.title, article.published)


def extract_trafilatura(case: Case):
    import trafilatura

    return trafilatura.bare_extraction(
        case.html,
        url=case.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        as_dict=False,
    )


def read_trafilatura(doc) -> Extraction:
    if doc is None or isinstance(doc, dict):  # as_dict=False: a Document, or None
        return Extraction(refused="no extraction")
    published = None
    if doc.date:
        try:  # trafilatura's dates are days: midnight UTC
            published = datetime.fromisoformat(doc.date).replace(tzinfo=UTC)
        except ValueError:
            published = None
    if not (doc.text or "").strip():
        return Extraction(title=doc.title or "", published=published, refused="no text")
    return Extraction(doc.text or "", doc.title or "", published)


def extract_readability(case: Case):
    from readability import Document

    doc = Document(case.html)
    return doc.summary(html_partial=True), doc.short_title() or ""


def read_readability(result) -> Extraction:
    summary, title = result
    return Extraction(html_text(summary), title, None)


#: name -> (the extraction, timed; its result read for scoring, not timed).
EXTRACTORS = {
    "archiver": (extract_archiver, read_archiver),
    "trafilatura": (extract_trafilatura, read_trafilatura),
    "readability": (extract_readability, read_readability),
}


def available(name: str) -> bool:
    module = {"trafilatura": "trafilatura", "readability": "readability"}.get(name)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def reason_of(refused: str) -> str:
    """A refusal's reason without its page's numbers and URLs: the key of the tally."""
    reason = re.sub(r"https?://\S+", "URL", refused)
    return re.sub(r"\d+", "N", reason)[:120]


@dataclass
class Row:
    case: Case
    f1: float
    precision: float
    recall: float
    title_ok: bool
    time_ok: bool
    cpu_ms: float
    got: Extraction


@dataclass
class Report:
    extractor: str
    folder: str = ""
    rows: list = field(default_factory=list)  # article pages with truth: Row
    refusals: list = field(default_factory=list)  # (case, refused?, reason): pages that are not articles
    unlabelled: list = field(default_factory=list)  # Row without figures: pages without truth
    cpu: list = field(default_factory=list)  # CPU ms of every page
    parse_cpu: list = field(default_factory=list)  # CPU ms of lxml's parse alone of every page

    def _mean(self, values) -> float:
        values = list(values)
        return sum(values) / len(values) if values else 0.0

    @property
    def mean_f1(self) -> float:
        return self._mean(r.f1 for r in self.rows)

    @property
    def min_f1(self) -> float:
        return min((r.f1 for r in self.rows), default=0.0)

    @property
    def precision(self) -> float:
        return self._mean(r.precision for r in self.rows)

    @property
    def recall(self) -> float:
        return self._mean(r.recall for r in self.rows)

    @property
    def title_rate(self) -> float:
        return self._mean(r.title_ok for r in self.rows)

    @property
    def time_rate(self) -> float:
        return self._mean(r.time_ok for r in self.rows)

    @property
    def refused_articles(self) -> list:
        return [r for r in self.rows + self.unlabelled if r.got.refused]

    @property
    def reasons(self) -> Counter:
        return Counter(reason_of(r.got.refused) for r in self.refused_articles)

    @property
    def median_cpu_ms(self) -> float:
        return statistics.median(self.cpu) if self.cpu else 0.0

    @property
    def median_parse_ms(self) -> float:
        return statistics.median(self.parse_cpu) if self.parse_cpu else 0.0

    @property
    def over_parse(self) -> float:
        """Median CPU per page over the median of lxml's parse alone, measured in turn with
        it: a figure that a loaded machine changes less than the milliseconds."""
        return self.median_cpu_ms / self.median_parse_ms if self.median_parse_ms else 0.0

    def below(self, floors: Floors | None) -> list[str]:
        problems = []
        if floors is not None and self.rows:
            if self.mean_f1 < floors.f1:
                problems.append(f"body F1 {self.mean_f1:.3f} < {floors.f1}")
            if self.title_rate < floors.title:
                problems.append(f"exact titles {self.title_rate:.1%} < {floors.title:.0%}")
            if self.time_rate < floors.time:
                problems.append(f"times to the minute {self.time_rate:.1%} < {floors.time:.0%}")
            if len(self.refused_articles) > floors.refused:
                problems.append(f"{len(self.refused_articles)} articles refused > {floors.refused}")
        wrong = [c.name for c, ok, _ in self.refusals if not ok]
        if wrong:
            problems.append(f"pages that are not articles were read as articles: {', '.join(wrong)}")
        return problems


def _published(case: Case) -> datetime | None:
    raw = case.truth.get("published")
    return datetime.fromisoformat(raw) if raw else None


def evaluate(cases: list[Case], extractor: str, folder: str = "") -> Report:
    extract, read = EXTRACTORS[extractor]
    report = Report(extractor, folder)
    for case in cases:
        start = time.process_time()
        result = extract(case)
        ms = (time.process_time() - start) * 1000  # the extraction only, as a user's run pays it
        got = read(result)
        report.cpu.append(ms)
        start = time.process_time()
        lxml.html.fromstring(case.html)  # the floor, interleaved: the same load, the same moment
        report.parse_cpu.append((time.process_time() - start) * 1000)
        if not case.labelled:
            report.unlabelled.append(Row(case, 0.0, 0.0, 0.0, False, False, ms, got))
            continue
        if not case.is_article:
            report.refusals.append((case, bool(got.refused), got.refused))
            continue
        if "first_sentence" in case.truth:
            f1, precision, recall = body_edges(got.text, case.truth)
        else:
            f1, precision, recall = body_f1(got.text, case.truth.get("text", ""))
        title_ok = squash(got.title) == squash(case.truth["title"])
        want = _published(case)
        time_ok = want is not None and same_minute(got.published, want)
        report.rows.append(Row(case, f1, precision, recall, title_ok, time_ok, ms, got))
    return report


def print_report(report: Report, per_page: bool, out=None) -> None:
    out = out or sys.stdout
    say = lambda text="": print(text, file=out)  # noqa: E731
    floors = FLOORS.get(report.folder)
    say(
        f"\n== {report.extractor} on {report.folder}: {len(report.rows)} articles with truth, "
        f"{len(report.refusals)} pages that are not articles, {len(report.unlabelled)} unlabelled"
    )
    if per_page:
        for r in report.rows:
            note = f"  refused: {r.got.refused}" if r.got.refused else ""
            say(
                f"  {r.case.name:42} F1 {r.f1:.3f} (P {r.precision:.3f} R {r.recall:.3f})"
                f"  title {'ok ' if r.title_ok else 'BAD'}  time {'ok ' if r.time_ok else 'BAD'}"
                f"  {r.cpu_ms:6.1f} ms{note}"
            )
            if not r.title_ok and not r.got.refused:
                say(f"      title got {r.got.title!r}\n            want {r.case.truth['title']!r}")
            if not r.time_ok and not r.got.refused:
                got = r.got.published.isoformat() if r.got.published else None
                say(f"      time  got {got}  want {r.case.truth.get('published')}")
        for case, ok, reason in report.refusals:
            say(
                f"  {case.name:42} not an article ({case.truth['not_article']}): "
                f"{'refused: ' + reason if ok else 'READ AS AN ARTICLE'}"
            )
        for r in report.unlabelled:
            got = r.got
            outcome = (
                f"refused: {got.refused}"
                if got.refused
                else f"{got.title!r}  {got.published.isoformat() if got.published else None}  "
                f"{len(got.text)} chars"
            )
            say(f"  {r.case.name:42} {outcome}")
    if report.rows and all("first_sentence" in r.case.truth for r in report.rows):
        say(
            f"  body edges       {report.mean_f1:.3f}  (first sentence in place {report.precision:.0%}, "
            f"last sentence in place {report.recall:.0%}; hand-checked truth)"
        )
    elif report.rows:
        floor = f"   (floor {floors.f1})" if floors else ""
        say(
            f"  body F1          mean {report.mean_f1:.3f}  lowest {report.min_f1:.3f}  "
            f"P {report.precision:.3f}  R {report.recall:.3f}{floor}"
        )
    if report.rows:
        floor = f"   (floor {floors.title:.0%})" if floors else ""
        say(f"  exact title      {report.title_rate:.1%}{floor}")
        floor = f"   (floor {floors.time:.0%})" if floors else ""
        say(f"  time to minute   {report.time_rate:.1%}{floor}")
    refused = report.refused_articles
    total = len(report.rows) + len(report.unlabelled)
    say(f"  articles refused {len(refused)} of {total}")
    for reason, n in report.reasons.most_common():
        say(f"    {n:3} × {reason}")
    say(
        f"  CPU per page     median {report.median_cpu_ms:.1f} ms  (mean {report._mean(report.cpu):.1f} ms; "
        f"lxml's parse alone {report.median_parse_ms:.1f} ms: {report.over_parse:.1f}×)"
    )


def summary_table(reports: list[Report], out=None) -> None:
    out = out or sys.stdout
    print(
        "\n| folder | extractor | body F1 | P | R | title exact | time to minute | refused | CPU ms (median) "
        "| × lxml parse |",
        file=out,
    )
    print("|---|---|---|---|---|---|---|---|---|---|", file=out)
    for r in reports:
        total = len(r.rows) + len(r.unlabelled)
        print(
            f"| {r.folder} | {r.extractor} | {r.mean_f1:.3f} | {r.precision:.3f} | {r.recall:.3f} | "
            f"{r.title_rate:.1%} | {r.time_rate:.1%} | {len(r.refused_articles)}/{total} | "
            f"{r.median_cpu_ms:.1f} | {r.over_parse:.1f} |",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archiver.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages", action="append", type=Path, metavar="DIR", help="score the pages under DIR (repeatable)"
    )
    parser.add_argument("--per-page", action="store_true", help="print every page's figures")
    parser.add_argument("--check", action="store_true", help="exit 1 when the archiver is below the floors")
    parser.add_argument("--only", choices=sorted(EXTRACTORS), help="one extractor")
    args = parser.parse_args(argv)
    status = 0
    reports = []
    for folder in args.pages or DEFAULT_FOLDERS:
        cases = load_cases(folder, unlabelled=True)
        if not cases:
            print(f"no pages in {folder}", file=sys.stderr)
            return 2
        labelled = sum(c.labelled for c in cases)
        print(f"\n{len(cases)} pages ({labelled} with truth) from {folder}")
        for name in [args.only] if args.only else EXTRACTORS:
            if not available(name):
                print(
                    f"\n== {name}: not installed (pip install {'readability-lxml' if name == 'readability' else name})"
                )
                continue
            report = evaluate(cases, name, Path(folder).name)
            reports.append(report)
            print_report(report, args.per_page)
            if name == "archiver":
                problems = report.below(FLOORS.get(report.folder))
                for problem in problems:
                    print(f"  BELOW FLOOR: {problem}")
                if problems and args.check:
                    status = 1
    summary_table(reports)
    return status


if __name__ == "__main__":
    sys.exit(main())
