"""Write the generic-extractor fixtures: whole pages in the styles of many outlets with
their ground truth beside them (``<name>.html`` in the page's own encoding + ``<name>.json``).

    python tools/fixturegen            # -> tests/fixtures/generic/

The article texts are in ``articles_*.txt``; the outlet templates in ``outlets.py``.
Lines: ``T:`` title, ``L:`` lead, ``P:`` paragraph, ``H:`` subheading, ``I: url | caption``,
``Q:`` quotation, ``B:`` boilerplate printed inside the article body but not part of its
text (editor credits, reprint notices): it is on the page, not in the ground truth.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from chrome import HEADLINES_ZH, rng_for  # noqa: E402
from negatives import NEGATIVES  # noqa: E402
from outlets import RENDERERS  # noqa: E402

OUT = HERE.parent.parent / "tests" / "fixtures" / "generic"

SITE_NAMES = {
    "thepaper": "澎湃新闻",
    "36kr": "36氪",
    "huxiu": "虎嗅",
    "caixin": "财新",
    "yicai": "第一财经",
    "sina": "新浪",
    "163": "网易",
    "qq": "腾讯新闻",
    "people": "人民网",
    "xinhuanet": "新华网",
    "guancha": "观察者网",
    "ifeng": "凤凰网",
    "toutiao": "今日头条",
    "udn": "聯合新聞網",
    "reuters": "Reuters",
    "bbc": "BBC News",
    "guardian": "the Guardian",
    "apnews": "AP News",
    "chinanews": "中国新闻网",
    "bjnews": "新京报",
    "sohu": "搜狐",
    "cctv": "央视网",
    "cnn": "CNN",
    "tagesschau": "tagesschau.de",
}
SOURCES = {"guardian": "theguardian"}
#: Pages served in another encoding than UTF-8: (codec, label written in the page's meta).
ENCODED = {
    "people-1": ("gbk", "GB2312"),
    "people-2": ("gbk", "GB2312"),
    "enc-gbk": ("gbk", "GBK"),
    "enc-gb2312": ("gbk", "GB2312"),
    "enc-gb18030": ("gb18030", "GB18030"),
    "enc-big5": ("big5", "Big5"),
}
_META_CHARSET = re.compile(r'charset=("?)(utf-8|GB2312)', re.I)


#: Outlets whose pages were written after the extractor was frozen: they measure how it
#: does on layouts nobody tuned it for (``holdout`` in their ground truth).
HOLDOUT = {"chinanews", "bjnews", "sohu", "cctv", "cnn", "tagesschau"}


def parse_articles(text: str) -> list[dict]:
    articles = []
    for chunk in text.split("@@ ")[1:]:
        header, *lines = chunk.strip("\n").split("\n")
        fields = dict(re.findall(r"(\w+)=(.*?)(?= \w+=|$)", header))
        art = {
            "key": fields["key"],
            "outlet": fields["outlet"],
            "url": fields["url"],
            "time": datetime.fromisoformat(fields["time"]),
            "authors": [a for a in fields.get("author", "").split("|") if a],
            "title": "",
            "lead": "",
            "blocks": [],
        }
        for line in lines:
            if not line.strip():
                continue
            kind, _, rest = line.partition(": ")
            rest = rest.strip() if rest else ""
            if kind == "T":
                art["title"] = rest
            elif kind == "L":
                art["lead"] = rest
            elif kind == "I":
                url, _, caption = rest.partition(" | ")
                art["blocks"].append(("I", url.strip(), caption.strip()))
            elif kind in ("P", "H", "Q", "B"):
                art["blocks"].append((kind, rest, None))
            elif line.startswith("L:"):
                art["lead"] = ""
            else:
                raise ValueError(f"{art['key']}: bad line {line!r}")
        articles.append(art)
    return articles


def truth_text(art) -> str:
    parts = []
    for kind, text, extra in art["blocks"]:
        if kind in ("P", "H", "Q"):
            parts.append(text)
        elif kind == "I" and extra:
            parts.append(extra)
    return "\n".join(parts)


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def write_page(name: str, art: dict, pool: list[str]) -> None:
    rng = rng_for(name)
    codec, label = ENCODED.get(name, ("utf-8", None))
    pool = [t for t in pool if _encodable(t, codec)]
    art["rng_seconds"] = rng.randrange(60)
    page, ctype = RENDERERS[art["outlet"]](art, rng, pool)
    if label:
        head, rest = page[:600], page[600:]
        page = _META_CHARSET.sub(lambda m: f"charset={m.group(1)}{label}", head, count=1) + rest
        ctype = "text/html"
    data = page.encode(codec)
    assert data.decode(codec) == page and "\ufffd" not in page
    (OUT / f"{name}.html").write_bytes(data)
    lang = (
        "zh"
        if re.search(r"[\u4e00-\u9fff]", art["title"])
        else ("de" if art["outlet"] == "tagesschau" else "en")
    )
    truth = {
        "url": art["url"],
        "outlet": art["outlet"],
        "lang": lang,
        "content_type": ctype,
        "encoding": codec,
        "title": art["title"],
        "published": art["time"].isoformat(),
        "site_name": SITE_NAMES[art["outlet"]],
        "source": SOURCES.get(art["outlet"], art["outlet"]),
        "authors": art["authors"],
        "lead": art["lead"],
        "images": [u for k, u, _ in art["blocks"] if k == "I"],
        "text": truth_text(art),
    }
    if art["outlet"] in HOLDOUT:
        truth["holdout"] = True
    (OUT / f"{name}.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{name:16} {len(data) / 1024:6.1f} KB  {codec}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    articles = []
    for path in sorted(HERE.glob("articles_*.txt")):
        articles += parse_articles(path.read_text(encoding="utf-8"))
    titles = [a["title"] for a in articles if re.search(r"[\u4e00-\u9fff]", a["title"])]
    for art in articles:
        pool = [t for t in HEADLINES_ZH + titles if t != art["title"]]
        write_page(art["key"], art, pool)
        if art["key"] == "enc-gbk":
            write_page("enc-gb2312", dict(art), pool)
    for name, render in NEGATIVES.items():
        page, ctype, url, reason = render(rng_for(name), HEADLINES_ZH + titles)
        (OUT / f"{name}.html").write_bytes(page.encode("utf-8"))
        truth = {"url": url, "content_type": ctype, "encoding": "utf-8", "not_article": reason}
        (OUT / f"{name}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"{name:16} {len(page.encode()) / 1024:6.1f} KB  not an article: {reason}")


if __name__ == "__main__":
    main()
