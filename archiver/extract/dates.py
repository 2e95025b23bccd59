"""The publication time of any news page, with its time zone, to the minute.

Sources, most reliable first: JSON-LD ``datePublished``, ``<meta>`` (Open Graph,
``article:published_time``, ``pubdate`` and the names Chinese portals use),
``<time datetime>``, the date line printed near the headline in Chinese or English
forms (``2017年2月11日 15:35``, ``2017-02-11 15:35``, ``发布时间：…``,
``March 5, 2024 2:41 AM GMT``), then the page state of inline scripts. A date
without a time of day is kept only when nothing gives the minute. A time without
an offset is read in the page's zone (``default_tz``). Pure functions.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from lxml import etree

from archiver.extract.dom import squash, text_content

UTC = UTC
#: Zone abbreviations printed after times on news pages.
ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "est": -5,
    "edt": -4,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "jst": 9,
    "kst": 9,
    "hkt": 8,
    "sgt": 8,
    "ist": 5.5,
    "aest": 10,
    "aedt": 11,
    "北京时间": 8,
    "北京時間": 8,
    "台北时间": 8,
    "臺北時間": 8,
    "香港时间": 8,
}
MONTHS = {
    m: n
    for n, names in enumerate(
        [
            ("jan", "january", "januar", "janvier", "enero", "gennaio", "januari", "jänner", "ocak"),
            ("feb", "february", "februar", "février", "fevrier", "febrero", "febbraio", "februari", "şubat"),
            ("mar", "march", "märz", "maerz", "mars", "marzo", "maart", "mart"),
            ("apr", "april", "avril", "abril", "aprile", "nisan"),
            ("may", "mai", "mayo", "maggio", "mei", "maj", "mayıs"),
            ("jun", "june", "juni", "juin", "junio", "giugno", "haziran"),
            ("jul", "july", "juli", "juillet", "julio", "luglio", "temmuz"),
            ("aug", "august", "août", "aout", "agosto", "augustus", "ağustos"),
            ("sep", "sept", "september", "septembre", "septiembre", "settembre", "eylül"),
            ("oct", "october", "oktober", "octobre", "octubre", "ottobre", "okt", "ekim"),
            ("nov", "november", "novembre", "noviembre", "kasım"),
            ("dec", "december", "dezember", "décembre", "decembre", "diciembre", "dicembre", "dez", "aralık"),
        ],
        start=1,
    )
    for m in names
}

META_NAMES = (
    "article:published_time",
    "article:published",
    "og:published_time",
    "published-date",
    "publication-date",
    "date.publication",
    "dc.date",
    "DC.date",
    "dcterms.date",
    "article.published",
    "cXenseParse:recs:publishtime",
    "og:article:published_time",
    "datePublished",
    "og:release_date",
    "publishdate",
    "PublishDate",
    "pubdate",
    "PubDate",
    "publish_date",
    "publish-date",
    "publication_date",
    "published_time",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "DC.date.issued",
    "dcterms.created",
    "weibo: article:create_at",
    "apub:time",
    "bytedance:published_time",
    "article:publish_time",
    "date",
    "Date",
)
SCRIPT_KEYS = (
    "datePublished",
    "publishTime",
    "publish_time",
    "pubtime",
    "pubTime",
    "pubDate",
    "newsTime",
    "publishDate",
    "publishedAt",
    "published_at",
    "ptime",
    "first_publish_time",
    "ct",
    "time",
)

_TZ = r"(?P<tz>Z|\s?[+-]\d{2}:?\d{2}(?!\d)|\s*(?:UTC|GMT|BST|CEST|CET|EEST|EET|EST|EDT|CDT|MST|MDT|PST|PDT|JST|KST|HKT|SGT|AEST|AEDT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\b)?"
_HMS = r"(?P<h>\d{1,2})(?:[:：]|时|點|点|\.(?=\d{2}\s*(?:GMT|UTC|BST)))(?P<mi>\d{2})(?:分)?(?:[:：](?P<s>\d{2})(?:\.\d+)?)?"
#: 2024-03-05T08:30:12+08:00, 2024-03-05 08:30, 2024/03/05 08:30, 2024.03.05 08:30,
#: 2024年3月5日 08:30, 2024年03月05日08:30, 2024 03/05 08:30 (xinhuanet's split spans).
NUMERIC = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?:\s*[-/.年]\s*|\s+(?=\d{1,2}\s*/))(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*[T ,，]?\s*(?:[（(]?\s*(?:星期|周|週)[一二三四五六日天]\s*[)）]?)?\s*" + _HMS + ")?" + _TZ,
    re.I,
)
_MONTH = (
    r"(?P<mon>"
    + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
    + r")\.?(?![a-zà-ÿ])"
)
_CLOCK = (
    r"(?P<h>\d{1,2})[:.hH](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*(?:Uhr|h|Uhr\.))?"
)
#: What stands between a printed date and its clock: "at", "um", "à", "a las", "kl.", "|", ","…
_JOIN = r"(?:\s*(?:at|um|à|a\s+las|alle|kl\.?|klo|saat|-|–|\||,|/)\s*)*\s*"
#: March 5, 2024 2:41 AM GMT / 5 March 2024 08:30 / Tue 5 Mar 2024 08.30 GMT /
#: Monday, November 18th, 2019 at 11:08 a.m. / 25. September 2018 um 14:07 / 5 de mayo de 2024
ENGLISH_DATE = re.compile(
    r"(?:"
    + _MONTH
    + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})|(?P<d2>\d{1,2})(?:\.|st|nd|rd|th|er)?\s+(?:de\s+)?"
    + _MONTH.replace("mon", "mon2")
    + r",?\s+(?:de\s+)?(?P<y2>\d{4}))(?:"
    + _JOIN
    + _CLOCK
    + ")?"
    + _TZ,
    re.I,
)
#: 06.01.2026, Do 25.04.24 | 14:07 Uhr, 05/10/2018 16:38 (day first; see ``month_first``).
DAY_FIRST = re.compile(
    r"(?<![\d./])(?P<d>\d{1,2})(?P<sep>[./])(?P<mo>\d{1,2})(?P=sep)(?P<y>(?:19|20)?\d{2})(?![\d./])(?:"
    + _JOIN
    + _CLOCK
    + ")?"
    + _TZ,
    re.I,
)
#: 9:55 AM EST, March 3, 2024 (AP's "Updated" line): the clock before the date.
ENGLISH_CLOCK_FIRST = re.compile(
    _CLOCK + r"\s*" + _TZ + r"\s*,?\s*" + _MONTH + r"\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})", re.I
)
#: Labels that introduce the publication time in visible text.
LABEL = re.compile(
    r"(发布时间|發佈時間|发表时间|發表時間|发布于|發布於|时间|時間|日期|Published|Posted|First published"
    r"|publiziert am|veröffentlicht am|erstellt|Publié le|Publicado)\s*[:：]?\s*$",
    re.I,
)
#: Longest run of text read as a labelled date line.
LABEL_RUN_MAX = 300
#: A label and the date after it in one run of text: ``时间：2019年10月31日 23:00``.
LABELLED = re.compile(
    r"(?<!更新)(?<!修改)(发布时间|發佈時間|发表时间|發表時間|发布于|发布日期|發佈日期|发稿时间|时间|時間|日期|Published"
    r"|publiziert am|veröffentlicht am|erstellt am|erstellt|Publié le|Publicado)\s*[:：]?\s*(.{8,40})",
    re.I,
)
#: Words that introduce the time an article was changed, not published: such a time is
#: passed over when another is printed.
UPDATE_LABEL = re.compile(
    r"(?:updated?|last\s+modified|modified|aktualisiert|geändert|actualizado|actualisé|mis\s+à\s+jour"
    r"|aggiornato|bijgewerkt|oppdatert|uppdaterad|opdateret|güncelleme|更新|修改|最后更新)\s*(?:on|am|le|el|:|：)?\s*$",
    re.I,
)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")


def _offset(raw: str | None) -> tzinfo | None:
    if not raw:
        return None
    raw = raw.strip()
    match = re.match(r"^(?P<name>[A-Za-z]+)?\s*(?P<sign>[+-])?(?P<hh>\d{1,2})?:?(?P<mm>\d{2})?$", raw)
    if not match:
        return None
    hours = ZONES.get((match["name"] or "").lower(), 0) if match["name"] else 0
    if match["sign"] and match["hh"]:
        sign = -1 if match["sign"] == "-" else 1
        hours += sign * (int(match["hh"]) + int(match["mm"] or 0) / 60)
    elif match["name"] is None:
        return None
    return timezone(timedelta(hours=hours))


def _build(y, mo, d, h, mi, s, tz_raw, default_tz) -> datetime | None:
    try:
        value = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except (TypeError, ValueError):
        return None
    zone = _offset(tz_raw) or default_tz
    return value.replace(tzinfo=zone)


class PubTime:
    """A time found on the page; ``has_time`` is False for a date alone."""

    def __init__(self, value: datetime, has_time: bool):
        self.value, self.has_time = value, has_time


def _english(match, default_tz) -> tuple[datetime | None, bool]:
    groups = match.groupdict()
    mon = MONTHS.get((groups.get("mon") or groups.get("mon2") or "").lower().rstrip("."))
    day = groups.get("d1") or groups.get("d2")
    year = groups.get("y1") or groups.get("y2")
    hour = groups.get("h")
    if hour is not None and groups.get("ampm"):
        hour = int(hour) % 12 + (12 if groups["ampm"].lower().startswith("p") else 0)
    return _build(year, mon, day, hour, groups.get("mi"), groups.get("s"), groups.get("tz"), default_tz), (
        hour is not None
    )


def _day_first(match, default_tz, month_first: bool) -> tuple[datetime | None, bool]:
    day, month, year = int(match["d"]), int(match["mo"]), int(match["y"])
    if year < 100:
        year += 2000
    if match["sep"] == "/" and (month > 12 or (month_first and day <= 12)):
        day, month = month, day
    value = _build(year, month, day, match["h"], match["mi"], match["s"], match["tz"], default_tz)
    return value, match["h"] is not None


def parse_time_text(
    text: str, default_tz: tzinfo, epoch_ok: bool = False, month_first: bool = False
) -> PubTime | None:
    """The first date (and time) in ``text``, in any of the forms news pages print; a date
    introduced as an update ("Aktualisiert am …") only when no other is printed.
    ``month_first`` reads ``05/10/2018`` as May 10 (American pages)."""
    text = squash(text)
    if not text:
        return None
    if epoch_ok and _EPOCH.match(text):
        seconds = int(text[:10])
        return PubTime(datetime.fromtimestamp(seconds, UTC).astimezone(default_tz), True)
    candidates = []
    for match in NUMERIC.finditer(text):
        value = _build(
            match["y"], match["mo"], match["d"], match["h"], match["mi"], match["s"], match["tz"], default_tz
        )
        candidates.append((match.start(), -match.end(), value, match["h"] is not None))
    for pattern in (ENGLISH_DATE, ENGLISH_CLOCK_FIRST):
        for match in pattern.finditer(text):
            candidates.append((match.start(), -match.end(), *_english(match, default_tz)))
    for match in DAY_FIRST.finditer(text):
        candidates.append((match.start(), -match.end(), *_day_first(match, default_tz, month_first)))
    candidates.sort(key=lambda c: (c[0], c[1]))
    kept, reach = [], -1
    for start, neg_end, value, has_time in candidates:  # a match inside a longer one is part of it
        if start < reach:
            continue
        reach = -neg_end
        if value is not None:
            kept.append((start, value, has_time))
    if not kept:
        return None
    published = [c for c in kept if not UPDATE_LABEL.search(text[max(0, c[0] - 30) : c[0]])]
    _, value, has_time = (published or kept)[0]
    return PubTime(value, has_time)


def _json_ld_times(objects) -> list[str]:
    return [
        str(obj.get("datePublished") or obj.get("pubDate") or obj.get("dateCreated") or "")
        for obj in objects
        if isinstance(obj, dict)
    ]


#: What ``//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')] |
#: //time[@datetime]`` finds, and more (the itemprop tested in Python): XPath's string
#: functions on every element of the page cost twice as much as this.
_ITEMPROP_OR_TIME = etree.XPath("//*[@itemprop] | //time[@datetime]")
#: What XPath's normalize-space() collapses.
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def find_published(
    tree, title_el, json_ld: list[dict], default_tz: tzinfo, month_first: bool = False
) -> PubTime | None:
    """The publication time of the page (see the module docstring for the order)."""
    dated: PubTime | None = None

    def consider(raw, epoch_ok=False):
        nonlocal dated
        found = parse_time_text(raw or "", default_tz, epoch_ok=epoch_ok, month_first=month_first)
        if found is None:
            return None
        if found.has_time:
            if dated is not None and dated.value.date() != found.value.astimezone(dated.value.tzinfo).date():
                # a date alone from a more reliable source contradicts this time: keep looking
                return None
            return found
        dated = dated or found
        return None

    changed: set | None = None  # times the page prints as its update time (最后更新: …)
    passed: PubTime | None = None

    def declared(raw, epoch_ok=False):
        """A time the page declares (JSON-LD, meta), unless it is the update time it prints."""
        nonlocal changed, passed
        hit = consider(raw, epoch_ok)
        if hit is None:
            return None
        if changed is None:
            changed = _update_times(tree, default_tz)
        if hit.value.replace(second=0, microsecond=0) in changed:
            passed = passed or hit
            return None
        return hit

    for raw in _json_ld_times(json_ld):
        if hit := declared(raw):
            return hit
    metas: dict = {}  # one pass over the page's <meta>, not one XPath scan per name
    for el in tree.iter("meta"):
        if el.get("content") is not None:
            for attr in ("name", "property", "itemprop"):
                if el.get(attr):
                    metas.setdefault(el.get(attr), []).append(el.get("content"))
    for name in META_NAMES:
        for content in metas.get(name, ()):
            if hit := declared(content, epoch_ok=True):
                return hit
    for el in _ITEMPROP_OR_TIME(tree):  # an itemprop of datePublished (among others), a <time datetime>
        if not (
            (el.tag == "time" and el.get("datetime") is not None)
            or "datePublished" in _XML_SPACE.split(el.get("itemprop") or "")
        ):
            continue
        if hit := consider(el.get("datetime") or el.get("content") or text_content(el)):
            return hit
    if hit := _visible(tree, title_el, consider):
        return hit
    for el in tree.xpath("//*[@data-timestamp or @data-publish-time or @data-time]"):
        raw = el.get("data-timestamp") or el.get("data-publish-time") or el.get("data-time")
        if hit := consider(raw, epoch_ok=True):
            return hit
    for script in tree.xpath("//script[not(@src)]"):
        text = script.text or ""
        for key in SCRIPT_KEYS:
            for match in re.finditer(r'["\']?\b%s["\']?\s*[:=]\s*["\']?([^"\',}\]]{8,40})' % key, text):
                raw = match.group(1).strip()
                if key == "ct" and not _EPOCH.match(raw):  # a short name: only an epoch
                    continue
                if hit := consider(raw, epoch_ok=raw.isdigit()):
                    return hit
    return passed or dated


#: An update label followed by a number (the date): ``最后更新: 2019``, ``Updated on 12``.
_UPDATE_WORD = re.compile(
    UPDATE_LABEL.pattern.split(r")\s*(?:on")[0] + r")\s*(?:on|am|le|el|:|：)?\s*(?=\d)", re.I
)


#: Stems of the update labels, found with ``str.find`` before any regex runs.
_UPDATE_STEMS = (
    "pdate",
    "odified",
    "ktualisiert",
    "geändert",
    "ctualiz",
    "ctualis",
    "à jour",
    "ggiornato",
    "ijgewerkt",
    "ppdater",
    "pdateret",
    "üncelleme",
    "更新",
    "修改",
)


_CODE = frozenset(["script", "style"])


def _shown_text(body) -> str:
    """The text of ``body`` without the scripts and styles directly under it: most of a
    page's text is the data and code it keeps there, which print no update line (their
    text is left out in C, not cut out of the whole text afterwards)."""
    parts = [body.text or ""]
    for child in body:
        if child.tag in _CODE:
            parts.append(child.tail or "")
        else:
            parts.append(etree.tostring(child, method="text", encoding="unicode", with_tail=True))
    return "".join(parts)


def _update_times(tree, default_tz: tzinfo) -> set:
    """The times (to the minute) printed after an update label (``最后更新: 2019-09-07 15:14``)."""
    body = tree.find("body")
    text = _shown_text(body) if body is not None else ""
    found = set()
    for stem in _UPDATE_STEMS:
        at = text.find(stem)
        while at >= 0:
            window = text[max(0, at - 12) : at + 60]
            for match in _UPDATE_WORD.finditer(window):
                hit = parse_time_text(window[match.end() : match.end() + 40], default_tz)
                if hit is not None and hit.has_time:
                    found.add(hit.value.replace(second=0, microsecond=0))
            at = text.find(stem, at + len(stem))
    return found


_SKIP_TEXT = {"script", "style", "noscript", "template", "head", "title", "option", "select"}


def _text_runs(tree) -> list[tuple[Any, str]]:  # (lxml element, text)
    """(element, text) of the page's visible text in document order, scripts excluded."""
    runs: list = []

    def walk(el):
        if not isinstance(el.tag, str) or el.tag in _SKIP_TEXT:
            return
        if el.text and el.text.strip():
            runs.append((el, el.text))
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                runs.append((el, child.tail))

    body = tree.find("body")
    walk(body if body is not None else tree)
    return runs


def _visible(tree, title_el, consider) -> PubTime | None:
    """The date line printed near the headline: the first date with a time within
    ~400 characters after the title (or, failing that, just before it)."""
    runs = _text_runs(tree)
    start = 0
    if title_el is not None:
        for i, (el, _) in enumerate(runs):
            if el is title_el or title_el in el.iterancestors():
                start = i
                break
    after = " ".join(text for _, text in runs[start : start + 60])[:600]
    hit = consider(after)
    if hit:
        return hit
    for i, (_el, text) in enumerate(runs):  # an explicit label anywhere: 发布时间：…
        if len(text) > LABEL_RUN_MAX:  # a paragraph, not a date line
            continue
        if LABEL.search(squash(text)) and i + 1 <= len(runs):
            tail = squash(text) + " " + " ".join(t for _, t in runs[i + 1 : i + 4])
            label = LABEL.search(squash(text))
            if hit := consider(tail[label.end() :] if label else tail):
                return hit
        match = LABELLED.search(text)
        if match and (hit := consider(match.group(2))):
            return hit
    before = " ".join(text for _, text in runs[max(0, start - 15) : start])[-300:]
    return consider(before) if title_el is not None else None


#: /2019/11/19/, /2019/nov/18/, /2019-11-19/ in an article's URL.
URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<mo>\d{1,2}|[a-z]{3,9})[/-](?P<d>\d{1,2})(?=[/_.-]|$)", re.I
)


def date_in_url(url: str, default_tz: tzinfo) -> datetime | None:
    """The day an article's URL names (midnight in the page's zone), else None."""
    match = URL_DATE.search(url or "")
    if not match:
        return None
    month = match["mo"]
    month = int(month) if month.isdigit() else MONTHS.get(month.lower())
    return _build(match["y"], month, match["d"], 0, 0, 0, None, default_tz) if month else None


#: Zone of times printed without an offset, by the host's country domain, then by the
#: page's language (a language spoken mostly in one zone).
TLD_ZONES = {
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "fr": "Europe/Paris",
    "it": "Europe/Rome", "es": "Europe/Madrid", "nl": "Europe/Amsterdam", "be": "Europe/Brussels",
    "lu": "Europe/Luxembourg", "dk": "Europe/Copenhagen", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "fi": "Europe/Helsinki", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "pt": "Europe/Lisbon",
    "uk": "Europe/London", "ie": "Europe/Dublin", "tr": "Europe/Istanbul", "gr": "Europe/Athens",
    "hu": "Europe/Budapest", "ro": "Europe/Bucharest", "ru": "Europe/Moscow", "ua": "Europe/Kyiv",
    "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "tw": "Asia/Taipei",
    "hk": "Asia/Hong_Kong", "sg": "Asia/Singapore", "in": "Asia/Kolkata", "il": "Asia/Jerusalem",
    "lb": "Asia/Beirut", "au": "Australia/Sydney", "nz": "Pacific/Auckland", "za": "Africa/Johannesburg",
    "br": "America/Sao_Paulo", "ar": "America/Argentina/Buenos_Aires", "mx": "America/Mexico_City",
    "gl": "America/Nuuk",
}  # fmt: skip
LANGUAGE_ZONES = {
    "de": "Europe/Berlin", "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "da": "Europe/Copenhagen", "sv": "Europe/Stockholm", "no": "Europe/Oslo", "nb": "Europe/Oslo",
    "fi": "Europe/Helsinki", "pl": "Europe/Warsaw", "cs": "Europe/Prague", "tr": "Europe/Istanbul",
    "el": "Europe/Athens", "hu": "Europe/Budapest", "ja": "Asia/Tokyo", "ko": "Asia/Seoul",
    "zh": "Asia/Shanghai", "he": "Asia/Jerusalem", "ar": "Asia/Beirut",
}  # fmt: skip


def page_zone(host: str, language: str) -> tzinfo:
    """The zone to read the page's offset-less times in (UTC when nothing says)."""
    from zoneinfo import ZoneInfo

    tld = (host or "").rsplit(".", 1)[-1].lower()
    if language == "zh" and tld not in ("tw", "hk", "sg", "mo"):
        return ZoneInfo("Asia/Shanghai")
    name = TLD_ZONES.get(tld) or LANGUAGE_ZONES.get((language or "").split("-")[0].lower())
    return ZoneInfo(name) if name else UTC
