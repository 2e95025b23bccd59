"""What a news page says about itself: JSON-LD, Open Graph and other meta, the headline.

Used by the generic parser for any outlet. Pure functions of an lxml tree.
"""

from __future__ import annotations

import json
import re

from archiver.extract.dom import meta, squash, text_of

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "socialmediaposting",
    "liveblogposting",
    "report",
    "webpage",
}
#: How the name of a Chinese site ends (``中国载人航天官方网站``, ``山西省人民政府门户网站``).
SITE_WORDS = re.compile(r"(?:网站|官网|网|日报|晚报|频道|客户端|在线|门户|新闻中心)$")
_BYLINE = re.compile(r"^(?:作者|记者|文|编译|撰文|By)\s*[:：|｜/]?\s*", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")


def json_ld(tree) -> list[dict]:
    """Every JSON-LD object of the page (``@graph`` and ``mainEntity`` flattened); unreadable blocks skipped."""
    found: list[dict] = []

    def walk(value):
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            found.append(value)
            for key in ("@graph", "mainEntity"):
                if isinstance(value.get(key), (list, dict)):
                    walk(value[key])

    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            walk(json.loads(script.text or ""))
        except ValueError:
            continue
    return found


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type") or ""
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def ld_article(objects: list[dict]) -> dict:
    """The JSON-LD object describing the article (Baidu's untyped cambrian object counts)."""
    for obj in objects:
        if _types(obj) & (ARTICLE_TYPES - {"webpage"}):
            return obj
    for obj in objects:
        if "headline" in obj or "pubDate" in obj or "datePublished" in obj:
            return obj
    return {}


def _ld_text(value) -> str:
    if isinstance(value, dict):
        value = value.get("name") or ""
    if isinstance(value, list):
        return " ".join(_ld_text(v) for v in value)
    return squash(str(value or ""))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "").lower()


def title_candidates(tree, ld: dict) -> list[str]:
    """Headlines the page declares, most reliable first: og:title, JSON-LD, ``<title>``."""
    values = [
        meta(tree, "og:title", "twitter:title"),
        _ld_text(ld.get("headline") or ld.get("title")),
        squash(tree.findtext(".//title")),
    ]
    return [v for v in values if v]


def headline(tree, ld: dict, site_names: list[str]) -> tuple[str, object]:
    """(title, its element or None). The ``<h1>`` the page's declared titles agree with;
    else the declared title without the site's name."""
    declared = title_candidates(tree, ld)
    headings = [
        (text_of(el), el) for el in tree.xpath("//h1 | //h2[contains(@class, 'title')]") if text_of(el)
    ]
    for text, el in headings:
        if len(text) < 4:
            continue
        key = _norm(text)
        for d in declared:
            dkey = _norm(d)
            if key == dkey or dkey.startswith(key):  # the declared title is the <h1> plus the site
                return text, el
            if dkey.endswith(key) and len(dkey) <= len(key) * 2:  # a kicker before it: the declared
                return strip_site_name(d, site_names), el
            if key.endswith(dkey) and len(dkey) >= 8:  # the <h1> fuses a kicker to the title
                return d, el
            if key in dkey:
                return text, el
    best = declared[0] if declared else ""
    if best:
        best = strip_site_name(best, site_names)
        for text, el in headings:  # an <h1> that holds the cleaned title with extra words
            if _norm(best) and _norm(best) in _norm(text) and len(text) <= len(best) * 1.5:
                return text, el
        return best, None
    if headings:
        return headings[0]
    return "", None


def strip_site_name(title: str, site_names: list[str]) -> str:
    """``标题_频道_财新网`` -> ``标题``: drop trailing parts naming the site, or short
    keyword and channel parts before it."""
    names = sorted({n.strip() for n in site_names if n and n.strip()}, key=len, reverse=True)
    for name in names:  # "标题-36氪", "标题 - BBC News"
        cut = re.sub(r"\s*(?:[_|｜ㅣ丨\-–—·:]|--)\s*" + re.escape(name) + r"\s*$", "", title, flags=re.I)
        if cut != title and cut.strip():
            title = cut.strip()
            break
    pieces = re.split(r"(\s[|\-–—]\s|_|｜|\||ㅣ|丨|--|\s·\s)", title)
    parts = [p.strip() for p in pieces[0::2]]
    if len(parts) == 1:
        return title
    keys = {_norm(n) for n in names}

    def is_chrome(part: str) -> bool:
        key = _norm(part)
        if len(part) <= 6 or (not _CJK.search(part) and len(part.split()) <= 2):
            return True
        if _CJK.search(part) and len(part) <= 20 and SITE_WORDS.search(part):
            return True
        return any(k and (key == k or (k in key and len(key) <= len(k) + 6)) for k in keys)

    n = len(parts)
    while n > 1 and is_chrome(parts[n - 1]):
        n -= 1
    if n == len(parts):
        return title
    return "".join(pieces[: 2 * n - 1]).strip()


def site_name(tree, ld: dict) -> str:
    publisher = ld.get("publisher")
    return meta(tree, "og:site_name", "application-name", "apple-mobile-web-app-title") or (
        _ld_text(publisher) if publisher else ""
    )


def description(tree, ld: dict) -> str:
    return meta(tree, "description", "og:description", "twitter:description") or _ld_text(
        ld.get("description")
    )


def authors(tree, ld: dict) -> list[str]:
    names: list[str] = []
    author = ld.get("author")
    if author:
        for item in author if isinstance(author, list) else [author]:
            names.append(_ld_text(item))
    if not any(names):
        value = meta(tree, "author", "article:author", "byl", "sailthru.author", "parsely-author")
        if value and not value.startswith("http") and not value.isdigit():
            names = re.split(r"\s*(?:,|、|/| and )\s*", value)
    if not any(names):
        for el in tree.xpath(
            "//*[@rel='author'] | //*[@itemprop='author'] | "
            "//*[contains(@class, 'author')][not(*[contains(@class, 'author')])]"
        )[:1]:
            names = [text_of(el)]
    cleaned = []
    for name in names:
        name = _BYLINE.sub("", squash(name)).strip(" ／/|")
        if name and len(name) <= 40 and name not in cleaned:
            cleaned.append(name)
    return cleaned


def language(tree, text_sample: str) -> str:
    """``zh`` or the page's declared language (``en``…), from ``<html lang>`` or the text."""
    lang = (
        tree.get("lang") or tree.get("xml:lang") or meta(tree, "language", "content-language") or ""
    ).lower()
    if lang.startswith("zh") or len(_CJK.findall(text_sample)) > 20:
        return "zh"
    return lang.split("-")[0] or "en"
