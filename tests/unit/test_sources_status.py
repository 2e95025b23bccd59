"""``archiver status``'s lines per source of the sources file: the articles counted per
source's sites, in a real state database, however the article URLs are written."""

from __future__ import annotations

from urllib.parse import urlsplit

from archiver.sources import load
from archiver.sourcescli import status_lines
from archiver.store.state import State

#: Article URLs as sites write them: ports, user info, capitals, subdomains, a query or a
#: fragment right after the host, no path, no scheme, another URL in the query.
URLS = [
    "https://www.jiemian.com/article/1.html",
    "https://m.jiemian.com/article/2.html",
    "HTTPS://WWW.JIEMIAN.COM/article/3.html",
    "https://www.jiemian.com:443/article/4.html",
    "https://reader@www.jiemian.com/article/5.html",
    "https://a.example?id=6",
    "https://a.example#7",
    "https://a.example",
    "https://news.a.example/8",
    "https://notaexample.com/9.html",
    "a.example/10.html",
    "https://b.example/11?from=https://a.example/x",
    "http://[::1]:8080/12.html",
]
SOURCES = """\
[jiemian]
lists = [65]

[outlets.a]
follow = ["https://a.example/rss.xml"]

[outlets.b]
follow = ["https://www.b.example/feed"]
"""


def by_url(hosts: tuple[str, ...], urls: list[str]) -> int:
    """What each URL's host says, parsed one by one."""
    found = 0
    for url in urls:
        host = (urlsplit(url).hostname or "").lower()
        found += any(host == h or host.endswith("." + h) for h in hosts)
    return found


def counted(sources, state) -> dict[str, int]:
    lines = status_lines(sources, state)
    return {line.split()[0]: int(line.split()[1]) for line in lines[2:]}


def test_each_source_counts_the_articles_of_its_sites(tmp_path):
    (tmp_path / "_archiver.toml").write_text(SOURCES, encoding="utf-8")
    sources = load(tmp_path / "_archiver.toml")
    state = State(tmp_path / ".archiver" / "state.sqlite", tmp_path)
    for n, url in enumerate(URLS):
        state.post_written(f"s-{n}", url, tmp_path / "_posts" / f"{n}.md", "text", "", "")
    state.record_failure("https://news.a.example/99", None, "timeout", "timed out")
    state.record_failure("https://www.jiemian.com/article/98.html", None, "http_5", "503")
    lines = status_lines(sources, state)
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert {name: int(row[1]) for name, row in rows.items()} == {
        s.name: by_url(s.hosts, URLS) for s in sources.sources
    }
    assert {name: int(rows[name][1]) for name in rows} == {"jiemian": 5, "a": 4, "b": 1}
    assert {name: int(row[-1]) for name, row in rows.items()} == {"jiemian": 1, "a": 1, "b": 0}
    state.close()


def test_the_counts_follow_the_posts_and_are_made_again_for_an_older_database(tmp_path):
    (tmp_path / "_archiver.toml").write_text(SOURCES, encoding="utf-8")
    sources = load(tmp_path / "_archiver.toml")
    state = State(tmp_path / ".archiver" / "state.sqlite", tmp_path)
    urls = {f"s-{n}": url for n, url in enumerate(URLS)}
    for key, url in urls.items():
        state.post_written(key, url, tmp_path / "_posts" / f"{key}.md", "text", "", "")
    assert counted(sources, state) == {"jiemian": 5, "a": 4, "b": 1}
    # an article's URL changes (a redirect, a canonical link), on a fetch or a rewrite
    state.fetched("s-0", "https://www.b.example/moved.html", "", "")
    state.post_written(
        "s-6", "https://www.jiemian.com/article/7.html", tmp_path / "_posts" / "s-6.md", "t", "", ""
    )
    urls.update({"s-0": "https://www.b.example/moved.html", "s-6": "https://www.jiemian.com/article/7.html"})
    state.db.execute("DELETE FROM posts WHERE key='s-8'")  # by hand, with sqlite3
    del urls["s-8"]
    expected = {s.name: by_url(s.hosts, list(urls.values())) for s in sources.sources}
    assert counted(sources, state) == expected == {"jiemian": 5, "a": 2, "b": 2}
    # a database from before the counts were kept: counted once, then kept again
    state.db.execute("DELETE FROM post_origins")
    state.db.execute("DELETE FROM meta WHERE name='post_origins'")
    assert counted(sources, state) == expected
    state.post_written("s-99", "https://a.example/99", tmp_path / "_posts" / "s-99.md", "t", "", "")
    assert counted(sources, state) == dict(expected, a=3)
    state.close()
