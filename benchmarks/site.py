"""A generated jiemian-like site of N articles, for the benchmark.

Every article page is one of the bundled fixture pages (archiver/demo/site/article/,
both markup generations, full chrome) with a new id, title, publication time and a
new body: 10–40 paragraphs drawn from the fixtures' text, subheadings, bold, links
and lazy-loaded images (``data-src`` / ``data-original``) under img.jiemian.com
paths. Chrome (a comment list) is added until the page weighs 60–120 KB. The run is
deterministic for a given seed.

Image URLs are ``https://img.jiemian.com/101/original/bench/<id>_<n>.jpg``; the
server maps them to a handful of real picture files (``101/pool/<k>.jpg``).
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from archiver.demo.server import SITE

TZ = ZoneInfo("Asia/Shanghai")
#: Fixture pages that are ordinary articles (not paywalled, video or a topic page).
TEMPLATE_IDS = (
    "1108857",
    "1124578",
    "2081436",
    "14712056",
    "14819087",
    "14826640",
    "14828876",
    "14831415",
    "14835210",
    "14837702",
    "14840233",
)
FIRST_ID = 30_000_001
POOL_IMAGES = 8
_CONTENT_START = re.compile(r'<div class="article-content[^"]*"[^>]*>')
_DIV = re.compile(r"<div\b|</div>")
_COMMENTS = (
    "这篇报道的数据很扎实，期待后续跟进。",
    "价格战最后受伤的还是中小企业。",
    "文中提到的几家公司，去年就有类似的传闻。",
    "希望监管能尽快出台细则，别让市场乱了。",
    "作为从业者，感觉文章说得比较客观，但还是低估了成本压力。",
)


def article_url(article_id: int) -> str:
    return f"https://www.jiemian.com/article/{article_id}.html"


def image_url(article_id: int, number: int) -> str:
    return f"https://img.jiemian.com/101/original/bench/{article_id}_{number}.jpg"


def _content_span(page: str) -> tuple[int, int]:
    """(start, end) of the inner HTML of div.article-content."""
    match = _CONTENT_START.search(page)
    depth, pos = 1, match.end()
    for tag in _DIV.finditer(page, pos):
        depth += 1 if tag.group(0) == "<div" else -1
        if depth == 0:
            return match.end(), tag.start()
    raise ValueError("unbalanced article-content")


class Template:
    def __init__(self, article_id: str):
        self.id = article_id
        self.expected = json.loads((SITE / "article" / f"{article_id}.expected.json").read_text("utf-8"))
        page = (SITE / "article" / f"{article_id}.html").read_text("utf-8")
        start, end = _content_span(page)
        self.head, self.tail = page[:start], page[end:]
        self.modern = int(article_id) > 10_000_000
        self.paragraphs = [p for p in self.expected["body_paragraphs"] if len(p) > 20]
        published = datetime.fromisoformat(self.expected["published"])
        self.date_forms = [
            (published.strftime(f), f)
            for f in ("%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S+08:00", "%Y-%m-%d %H:%M")
        ]
        self.epoch = str(int(published.timestamp()))
        self.cover = self.expected["cover"]["url"] if self.expected.get("cover") else ""

    def fill(self, part: str, article_id: int, title: str, when: datetime) -> str:
        part = part.replace(self.id, str(article_id))
        escaped = html.escape(self.expected["title"])
        if escaped != self.expected["title"]:  # attribute values (og:title) hold it escaped
            part = part.replace(escaped, html.escape(title))
        part = part.replace(self.expected["title"], html.escape(title, quote=False))
        part = part.replace(self.epoch, str(int(when.timestamp())))
        for text, form in self.date_forms:
            part = part.replace(text, when.strftime(form))
        if self.cover:
            part = part.replace(self.cover, image_url(article_id, 0))
        return part


def _body(rng: random.Random, article_id: int, pool: list[str], modern: bool) -> str:
    count = rng.randint(10, 40)
    out, image = [], 0
    for n in range(count):
        text = html.escape(rng.choice(pool), quote=False)
        if n and n % 9 == 0:
            out.append(f"<h2>{html.escape(rng.choice(pool)[:14], quote=False)}</h2>")
        if n % 7 == 3:
            cut = rng.randint(5, max(6, len(text) // 3))
            text = f"{text[:cut]}<strong>{text[cut : cut + 20]}</strong>{text[cut + 20 :]}"
        if n % 11 == 5:
            text += f'<a href="/article/{article_id - 1 - n}.html" target="_blank">相关报道</a>。'
        indent = "" if modern else "\u3000\u3000"
        out.append(f"<p>{indent}{text}</p>")
        if n % 6 == 2 and image < 5:
            image += 1
            url = image_url(article_id, image)
            caption = html.escape(rng.choice(pool)[:24], quote=False)
            if modern:
                out.append(
                    f'<figure class="article-figure"><img class="lazyload" '
                    f'src="https://static.jiemian.com/pc/assets/img/lazy.png" data-src="{url}" '
                    f'alt="" width="1080" height="720" /><figcaption>{caption}</figcaption></figure>'
                )
            else:
                out.append(
                    f'<p style="text-align: center;"><img class="lazy" '
                    f'src="http://static.jiemian.com/static/images/grey.gif" data-original="{url}" '
                    f'alt="" width="600" height="400" /></p>\n<p style="text-align: center;">{caption}</p>'
                )
        if n == count // 2 and modern:
            out.append(
                '<div class="ad ad-article-inner"><script>window.jmAd&&jmAd.push("inner")</script>'
                '<p class="ad-tips">推广｜点击了解详情</p></div>'
            )
    return "\n" + "\n".join(out) + "\n"


def _padding(rng: random.Random, size: int) -> str:
    items = []
    while size > 0:
        text = html.escape(rng.choice(_COMMENTS))
        item = (
            f'<li><img class="avatar" src="https://static.jiemian.com/pc/assets/img/avatar.png" alt="">'
            f'<div><div class="name">读者{rng.randint(1000, 99999)}</div><p class="text">{text}</p>'
            f'<div class="meta"><span>{rng.randint(1, 59)}分钟前</span><a href="javascript:;" '
            f'class="reply" data-cid="{rng.randint(10**6, 10**7)}">回复</a><span class="praise">'
            f"{rng.randint(0, 300)}</span></div></div></li>\n"
        )
        items.append(item)
        size -= len(item.encode("utf-8"))
    return (
        '<div class="comment-box comment-more"><ul class="comment-list">\n' + "".join(items) + "</ul></div>\n"
    )


def generate(root: Path, count: int, seed: int = 8) -> list[str]:
    """Write the site into ``root``; returns the article URLs (real jiemian URLs)."""
    rng = random.Random(seed)
    templates = [Template(t) for t in TEMPLATE_IDS]
    pool = [p for t in templates for p in t.paragraphs]
    (root / "article").mkdir(parents=True, exist_ok=True)
    shutil.copy(SITE / "robots.txt", root / "robots.txt")
    pictures = sorted((SITE / "101" / "original").rglob("*.jpg"))
    (root / "101" / "pool").mkdir(parents=True, exist_ok=True)
    for k in range(POOL_IMAGES):
        shutil.copy(pictures[k % len(pictures)], root / "101" / "pool" / f"{k}.jpg")
    start = datetime(2025, 1, 1, 8, 0, tzinfo=TZ)
    urls = []
    for n in range(count):
        article_id = FIRST_ID + n
        template = templates[n % len(templates)]
        when = start + timedelta(minutes=37 * n)
        title = f"{template.expected['title']}（{n + 1}）"
        head = template.fill(template.head, article_id, title, when)
        tail = template.fill(template.tail, article_id, title, when)
        body = _body(rng, article_id, pool, template.modern)
        size = len(head.encode()) + len(body.encode()) + len(tail.encode())
        target = rng.randint(60_000, 120_000)
        if size < target:
            cut = tail.rfind("</body>")
            tail = tail[:cut] + _padding(rng, target - size) + tail[cut:]
        (root / "article" / f"{article_id}.html").write_text(head + body + tail, encoding="utf-8")
        urls.append(article_url(article_id))
    return urls
