"""Who published a page: the short ASCII source key (file names) and the display name (tag).

The table names common Chinese outlets by their registrable domain (the precise sites
of ``archiver/sites/`` add their own record's names: :func:`add_outlet`); other sites
get the page's own site name and a key made from the domain (``www.reuters.com`` ->
``reuters``). Pure data and string functions.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Registrable domain -> (source key, display name). Several domains of one outlet
#: share a key, so that a post found under either is the same article.
OUTLETS: dict[str, tuple[str, str]] = {
    "thepaper.cn": ("thepaper", "澎湃新闻"),
    "36kr.com": ("36kr", "36氪"),
    "huxiu.com": ("huxiu", "虎嗅"),
    "caixin.com": ("caixin", "财新"),
    "caixinglobal.com": ("caixinglobal", "财新"),
    "yicai.com": ("yicai", "第一财经"),
    "sina.com.cn": ("sina", "新浪"),
    "sina.cn": ("sina", "新浪"),
    "163.com": ("163", "网易"),
    "qq.com": ("qq", "腾讯新闻"),
    "people.com.cn": ("people", "人民网"),
    "people.cn": ("people", "人民网"),
    "xinhuanet.com": ("xinhuanet", "新华网"),
    "news.cn": ("xinhuanet", "新华网"),
    "guancha.cn": ("guancha", "观察者网"),
    "ifeng.com": ("ifeng", "凤凰网"),
    "toutiao.com": ("toutiao", "今日头条"),
    "chinanews.com.cn": ("chinanews", "中国新闻网"),
    "chinanews.com": ("chinanews", "中国新闻网"),
    "cctv.com": ("cctv", "央视网"),
    "cctv.cn": ("cctv", "央视网"),
    "bjnews.com.cn": ("bjnews", "新京报"),
    "infzm.com": ("infzm", "南方周末"),
    "nbd.com.cn": ("nbd", "每日经济新闻"),
    "stcn.com": ("stcn", "证券时报"),
    "eeo.com.cn": ("eeo", "经济观察网"),
    "21jingji.com": ("21jingji", "21世纪经济报道"),
    "cls.cn": ("cls", "财联社"),
    "wallstreetcn.com": ("wallstreetcn", "华尔街见闻"),
    "gmw.cn": ("gmw", "光明网"),
    "chinadaily.com.cn": ("chinadaily", "中国日报网"),
    "cnr.cn": ("cnr", "央广网"),
    "sohu.com": ("sohu", "搜狐"),
    "zaobao.com": ("zaobao", "联合早报"),
    "zaobao.com.sg": ("zaobao", "联合早报"),
    "udn.com": ("udn", "聯合新聞網"),
    "cna.com.tw": ("cna", "中央社"),
    "ltn.com.tw": ("ltn", "自由時報"),
    "hk01.com": ("hk01", "香港01"),
    "bbc.com": ("bbc", ""),
    "bbc.co.uk": ("bbc", ""),
}


def add_outlet(domain: str, key: str, name: str) -> None:
    """Name one more outlet (a precise site's record: see ``archiver.sites.register``)."""
    OUTLETS[domain.lower()] = (key, name)


def remove_outlet(domain: str) -> None:
    OUTLETS.pop(domain.lower(), None)


_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


@lru_cache(maxsize=1)
def _extractor():
    import tldextract  # a Scrapy dependency; the bundled suffix list, never fetched

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """``news.sina.com.cn`` -> ``sina.com.cn``; an IP address or a bare name stays as it is."""
    host = (host or "").lower().strip(".")
    parts = _extractor()(host)
    if not parts.suffix or not parts.domain:
        return host
    return f"{parts.domain}.{parts.suffix}"


def outlet(host: str) -> tuple[str, str] | None:
    """(source key, display name) of a known outlet, else None."""
    return OUTLETS.get(registrable_domain(host))


def source_key(host: str) -> str:
    """The ASCII ``[A-Za-z0-9]+`` key of the site, used in post file names."""
    known = outlet(host)
    if known:
        return known[0]
    domain = registrable_domain(host)
    label = domain.split(".")[0] if "." in domain and not domain.replace(".", "").isdigit() else domain
    if label.startswith("xn--"):
        label = label[4:]
    return (_NON_ALNUM.sub("", label) or "site")[:32]


def display_name(host: str, page_site_name: str = "") -> str:
    """The tag of a post: the outlet's Chinese name, else the page's site name, else the domain."""
    known = outlet(host)
    if known and known[1]:
        return known[1]
    if page_site_name:
        return page_site_name
    return registrable_domain(host) or host
