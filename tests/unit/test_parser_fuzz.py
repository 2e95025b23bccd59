"""A mutation fuzz of the jiemian parser: any damaged page gives an article or a clear
ParseError naming the missing field, within seconds."""

from __future__ import annotations

import json
import random
import signal

from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.items import Article, ParseError
from archiver.sites import jiemian
from tests.support.budget import examples
from tests.support.fixtures import expected_files, page_of

# -- mutation fuzz of the parser --------------------------------------------------------------

PAGES = [
    (page_of(p).read_text(encoding="utf-8"), json.loads(p.read_text())["served_at"]) for p in expected_files()
]
MUTATIONS = [
    "truncate",
    "delete",
    "duplicate",
    "garbage",
    "rename_class",
    "drop_closing",
    "deep_nesting",
    "swap_attrs",
    "null_bytes",
]


def mutate(page: str, kind: str, rng: random.Random) -> str:
    n = len(page)
    a, b = sorted(rng.randrange(n) for _ in range(2))
    if kind == "truncate":
        return page[:a]
    if kind == "delete":
        return page[:a] + page[b:]
    if kind == "duplicate":
        return page[:b] + page[a:b] + page[b:]
    if kind == "garbage":
        junk = "".join(rng.choice("<>/\"'=&;#{}%abc\x00\ufffd ") for _ in range(rng.randrange(1, 400)))
        return page[:a] + junk + page[a:]
    if kind == "rename_class":
        target = rng.choice(
            [
                "article-content",
                "article-header",
                "article-info",
                "article-img",
                "data-article-publish-time",
                "meta-container",
                "main-mate",
                "span",
                "h1",
                "<p",
            ]
        )
        return page.replace(target, target[::-1])
    if kind == "drop_closing":
        tag = rng.choice(["div", "p", "span", "a", "h1", "figure", "ul", "table", "script"])
        return page.replace(f"</{tag}>", "")
    if kind == "deep_nesting":
        return page[:a] + "<div>" * 20_000 + page[a:]
    if kind == "swap_attrs":
        return page.replace('data-src="', 'src="').replace('content="', 'content="\u202e')
    return page[:a] + "\x00" * 50 + page[a:]


class _Hung(Exception):
    pass


def _alarm(signum, frame):
    raise _Hung("the parser did not finish within 10 s")


@settings(max_examples=examples(40), deadline=None)
@given(
    page_index=st.integers(0, len(PAGES) - 1),
    seed=st.integers(0, 2**32),
    kinds=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4),
)
def test_damaged_pages_give_an_article_or_a_clear_parse_error(page_index, seed, kinds):
    page, url = PAGES[page_index]
    rng = random.Random(seed)
    for kind in kinds:
        page = mutate(page, kind, rng) or page
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(10)
    try:
        result = jiemian.parse(page, url)
    except ParseError as exc:
        assert str(exc).startswith("missing ") and exc.field
        return
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(result, Article) and result.title and result.published.tzinfo is not None
