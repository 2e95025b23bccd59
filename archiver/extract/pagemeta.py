"""What a news page says about itself: JSON-LD, Open Graph and other meta, the headline.

Used by the generic parser for any outlet. Pure functions of an lxml tree.
"""

from __future__ import annotations

import html
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

    for script in tree.getroottree().getroot().iter("script"):  # //script[@type='application/ld+json']
        if script.get("type") != "application/ld+json":
            continue
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


#: Soft hyphens: an og:title may hold them where the ``<h1>`` has none.
_QUOTES = str.maketrans({"\xad": None})


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").translate(_QUOTES)).lower()


def _clean(value: str) -> str:
    """A declared title as a reader sees it: HTML entities left escaped in JSON-LD decoded."""
    return squash(html.unescape(value)) if value and "&" in value else value


def title_candidates(tree, ld: dict) -> list[str]:
    """Headlines the page declares, most reliable first: og:title, JSON-LD, ``<title>``."""
    values = [
        meta(tree, "og:title", "twitter:title"),
        _ld_text(ld.get("headline") or ld.get("title")),
        squash(tree.findtext(".//title")),
    ]
    return [_clean(v) for v in values if v]


#: Where a kicker ends and the headline begins (``Kicker: Headline``, ``Kicker - Headline``).
_KICKER = re.compile(r"^(.{3,80}?)(?::\s|\s[-–—|]\s)(.+)$")
#: Separators between a title and what a site adds around it (its name, a channel),
#: with or without spaces; a space only between CJK words.
_CUT = re.compile(r"\s*(?:--|[_|｜ㅣ丨\-–—·:：])\s*|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff【\[])")
#: A declared title this short in CJK is a channel's name (新闻动态), not a headline.
CHANNEL_CHARS = 6


def _is_breadcrumb(el) -> bool:
    """The heading is (in) a breadcrumb trail: a class name of it or its parent says so."""
    parent = el.getparent()
    for node in (el, parent) if parent is not None else (el,):
        if any(c.startswith("breadcrumb") for c in (node.get("class") or "").lower().split()):
            return True
    return False


def _agreed(declared: list[str], site_names: list[str]) -> str:
    """The declared title the others agree with: one that another declared one is
    only a site's suffix longer than (``Headline`` beside ``Headline-Politics``), else
    one two of them share, else the first."""
    cleaned = [strip_site_name(d, site_names) for d in declared]
    keys = [_norm(c) for c in cleaned]
    for i, short in enumerate(keys):
        for j in range(len(keys)):
            rest = cleaned[j][len(cleaned[i]) :] if cleaned[j].startswith(cleaned[i]) else ""
            if i != j and rest and len(rest) <= min(15, len(short) * 0.4) and _CUT.match(rest):
                return cleaned[i]
    for i, key in enumerate(keys):
        if key and keys.count(key) >= 2:
            return cleaned[i]
    return cleaned[0] if cleaned else ""


def _shown(tree, title: str) -> tuple[str, object]:
    """(``title`` as the page shows it, the element showing it or None): when the page
    has no text equal to it but has one equal to a part of it cut at a separator
    (``Headline-Channel``, ``Channel--Headline``, ``Headline 东区办事处``), that part."""
    texts: dict = {}
    for node in tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]"):
        owner = node.getparent()
        texts.setdefault(_norm(node), owner.getparent() if node.is_tail else owner)
    texts.pop("", None)
    if _norm(title) in texts:
        return title, texts[_norm(title)]
    cuts = [m for m in _CUT.finditer(title) if m.start() > 0 and m.end() < len(title)]
    parts = [title[: m.start()] for m in reversed(cuts)] + [title[m.end() :] for m in cuts]
    for part in sorted(parts, key=len, reverse=True):
        if len(part) >= max(6, len(title) * 0.6) and _norm(part) in texts:
            return part.strip(), texts[_norm(part)]
    return title, None


_HEADING = re.compile(r"h[1-6]")


def _heading_before(body_el) -> tuple[str, object] | None:
    """The last heading (``<h1>``…``<h6>``) before the article's first paragraph: inside
    the body's container, else before it."""
    if body_el is None:
        return None
    last = None
    for el in body_el.iter("h1", "h2", "h3", "h4", "h5", "h6", "p"):
        if el.tag == "p" and len(text_of(el)) >= 30:
            break
        if el.tag != "p" and len(text_of(el)) > CHANNEL_CHARS:
            last = el
    if last is None:
        for el in body_el.itersiblings(preceding=True):
            if isinstance(el.tag, str) and _HEADING.fullmatch(el.tag) and len(text_of(el)) > CHANNEL_CHARS:
                last = el
                break
    return (text_of(last), last) if last is not None else None


def headline(
    tree, ld: dict, site_names: list[str], body_el=None, declared: list[str] | None = None
) -> tuple[str, object]:
    """(title, its element or None). The ``<h1>`` the page's declared titles agree with;
    else the declared title the declared ones agree on, without the site's name and as
    the page shows it; a channel's name there gives way to the heading over the body.
    ``declared``: :func:`title_candidates` of the page, when the caller has them."""
    if declared is None:
        declared = title_candidates(tree, ld)
    headings = [
        (text_of(el), el)
        for el in tree.getroottree().getroot().iter("h1", "h2")  # //h1 | //h2[contains(@class, 'title')]
        if (el.tag == "h1" or "title" in (el.get("class") or "")) and text_of(el)
    ]
    outside = [(text, el) for text, el in headings if not _is_breadcrumb(el)]
    headings = outside or headings  # a breadcrumb's heading only when the page has no other
    names = {_norm(n) for n in site_names if n}
    agreeing = len({_norm(d) for d in declared[:2]}) == 1 and len(declared) >= 2
    for text, el in headings:
        if len(text) < 4 or _norm(text) in names:
            continue
        key = _norm(text)
        for d in declared:
            dkey = _norm(d)
            if key == dkey or dkey.startswith(key):  # the declared title is the <h1> plus the site
                return text, el
            if dkey.endswith(key) and (len(dkey) <= len(key) * 2 or agreeing):  # a kicker before it
                return strip_site_name(d, site_names), el
            if key.endswith(dkey) and len(dkey) >= 8:  # the <h1> fuses a kicker to the title
                return d, el
            if key in dkey and len(key) * 2 >= len(_norm(strip_site_name(d, site_names))):
                return text, el
            h, t = _KICKER.match(text), _KICKER.match(strip_site_name(d, site_names))
            if h and t and _norm(h.group(2)) == _norm(t.group(2)) and len(h.group(2)) >= 8:
                return h.group(2).strip(), el  # two kickers on one headline: the headline
    best = _agreed(declared, site_names)
    if best:
        for text, el in headings:  # an <h1> that holds the cleaned title with extra words
            if _norm(best) and _norm(best) in _norm(text) and len(text) <= len(best) * 1.5:
                return text, el
        best, shown_el = _shown(tree, best)
        if _CJK.search(best) and len(best) <= CHANNEL_CHARS and (found := _heading_before(body_el)):
            return found
        return best, shown_el
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
    head, double, _ = title.partition("__")
    if double and len(head.strip()) >= 4:  # "标题__栏目" (CMS templates): what follows is the site's
        title = head.strip()
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
