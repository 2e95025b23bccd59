"""Articles to render: a realistic jiemian article with fields changed at will, and
hypothesis strategies of text that breaks YAML, Liquid or Markdown (titles, leads, authors)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from archiver.items import Article

SHANGHAI = ZoneInfo("Asia/Shanghai")


def article(**changes) -> Article:
    base = dict(
        source="jiemian",
        id="14790123",
        url="https://www.jiemian.com/article/14790123.html",
        title="标题",
        lead="导语",
        published=datetime(2026, 11, 20, 8, 5, tzinfo=SHANGHAI),
        body_html="<p>第一段</p><p>第二段</p>",
        site_name="界面新闻",
        authors=["张三", "李四"],
        category="科技",
        views=None,
    )
    base.update(changes)
    return Article(**base)


HOSTILE = [
    ": ",
    "#",
    " #",
    '"',
    "'",
    "[",
    "]",
    "【",
    "】",
    "*",
    "&",
    "!",
    "%",
    "@",
    "`",
    "\n",
    "\r\n",
    "\t",
    "{{",
    "}}",
    "{%",
    "- ",
    "? ",
    "|",
    ">",
    "~",
    "yes",
    "No",
    "null",
    "12:30",
    "0x1F",
    "1e3",
    "\u2028",
    "\u2029",
    "\x85",
    "\ufeff",
    "\\",
    "---",
    "...",
    "<b>",
    "\x07",
    "\U0001f600",
    " ",
    "\u3000",
    ",",
    "=",
    "<<",
]
hostile_text = (
    st.lists(
        st.one_of(
            st.sampled_from(HOSTILE),
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
        ),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .filter(bool)
)  # empty lead/author mean "none" (tested above)
long_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=2000, max_size=12000)
