"""Build archiver output with a real Jekyll and read the rendered post pages.

Plain helper functions for tests (no pytest fixtures in here):

* :func:`build_blog` copies the real Hux theme (the copy the package ships in
  ``archiver/preview/hux``), then ``tests/blog-extras`` (the reference blog's header
  pictures, the harness's post index) into ``workdir/site``, overlays the
  archiver's output folder on it, runs
  ``jekyll build --strict_front_matter`` into ``workdir/_site`` and returns a
  :class:`BuildResult` (return code, full output, warning lines, and a map
  from each post's source file name to its rendered HTML file).
* :func:`post_view` parses one rendered post page into a :class:`PostView`
  (``BuildResult.view(name)`` also gives it the post's date from the index).
* :func:`check_post` checks what a reader sees on a built post against its file:
  a non-empty "Posted by", title, subtitle, tags, the catalog's headings, every
  image an existing file, the 原文地址 link.
* :func:`resolve_site_url` maps a URL found in a page to the file of the built
  site that a web server would serve for it (or ``None``).

How a post is mapped to its page: the extras hold ``posts-index.json``, a
Liquid-rendered page listing ``{path, url, id, date}`` for every post Jekyll
published (``post.path`` is the source path such as
``_posts/2017-02-11-jiemian-1108857.md``, ``post.url`` the permalink without
the baseurl). After the build the index is read and every url is resolved to
its file in ``_site`` with :func:`resolve_site_url`. Posts that Jekyll did not
publish (future date, ``published: false``, unreadable front matter...) are
listed in ``BuildResult.unrendered``.

Needs only the ``jekyll`` executable (Debian's jekyll 4.3.1 with
ruby-jekyll-paginate) and lxml. No network access; nothing outside
``workdir`` is written or removed.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from archiver.preview import THEME_DIR  # the one copy of the theme

EXTRAS_DIR = Path(__file__).resolve().parent.parent / "blog-extras"
INDEX_FILE = "posts-index.json"
JEKYLL = os.environ.get("JEKYLL", "jekyll")


def _read_site_title() -> str:
    m = re.search(r"^title:\s*(.+?)\s*$", (THEME_DIR / "_config.yml").read_text("utf-8"), re.M)
    return m.group(1).strip("\"'") if m else ""


#: ``site.title`` of the theme's blog (what ``{{ site.title }}`` renders to).
SITE_TITLE = _read_site_title()

# A line of Jekyll's output is reported when it matches one of these.
WARNING_PATTERNS: tuple[str, ...] = (
    r"warning",  # "Warning:", "Build Warning:", "Liquid Warning:", "Kramdown warning:", "WARNING:"
    r"error",  # "Error:", "ERROR:", "Conversion error:", "Liquid syntax error", "Dependency Error:"
    r"exception",  # "Liquid Exception:", "YAML Exception reading ..."
    r"conflict:",  # two files written to the same destination
    r"deprecation",
    r"could not be",  # "YOUR SITE COULD NOT BE BUILT", "... could not be found"
    r"could not read",
    r"fatal",
    r"skipping:",  # "Skipping: _posts/x.md has a future date"
    r"invalid",
    r"sort warning",
    r"\bdefaults:",
)
_WARNING_RE = re.compile("|".join(WARNING_PATTERNS), re.I)
# Jekyll's logger right-aligns the topic in 20 columns; a message without a
# topic (continuation of the previous warning) starts with 20+ spaces.
_CONTINUATION_RE = re.compile(r"^ {20,}\S")
_INFO_RE = re.compile(r"^\s*(done in [\d.]+ seconds\.|-+)\s*$")

_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_HTML_WS = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace only: keeps U+3000, U+00A0


def norm_ws(text: str | None) -> str:
    """Collapse HTML whitespace (space, tab, CR, LF, FF) like a browser and strip.

    Non-breaking and ideographic spaces (U+00A0, U+3000) are kept as they are.
    """
    return _HTML_WS.sub(" ", text or "").strip(" ")


# --------------------------------------------------------------------------- build


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    #: every output line that is a warning or an error (plus its continuation
    #: lines), then the harness's own findings, prefixed "harness:"
    warnings: list[str]
    #: source file name (e.g. ``2017-02-11-jiemian-1108857.md``) -> rendered HTML file
    pages: dict[str, Path]
    #: source file name -> permalink (without baseurl), e.g. ``/2017/02/11/jiemian-1108857/``
    urls: dict[str, str]
    #: post files (``.md``/``.markdown``/``.html`` under ``_posts``) that got no page
    unrendered: list[str]
    site_dir: Path  # workdir/_site
    source_dir: Path  # workdir/site (theme + extras + overlay)
    baseurl: str
    command: list[str]
    duration: float
    index: list[dict] = field(default_factory=list)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def ok(self) -> bool:
        """Return code 0 and not a single warning line."""
        return self.returncode == 0 and not self.warnings

    def describe(self) -> str:
        """Human-readable summary for assertion messages."""
        return (
            f"jekyll exited {self.returncode} after {self.duration:.1f}s\n"
            f"command: {' '.join(self.command)}\n"
            f"warnings: {self.warnings}\n"
            f"unrendered: {self.unrendered}\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )

    def page(self, name: str) -> Path:
        """The rendered HTML of post ``name``; AssertionError with the build log if absent."""
        if name not in self.pages:
            raise AssertionError(f"no rendered page for {name!r}\n{self.describe()}")
        return self.pages[name]

    def view(self, name: str) -> PostView:
        """The rendered page of post ``name``, parsed, with its date from the index."""
        entry = next((e for e in self.index if posixpath.basename(e["path"]) == name), {})
        return post_view(self.page(name), date_iso=entry.get("date") or "")

    def page_url(self, name: str) -> str:
        """Full URL path of the post as served (baseurl + permalink)."""
        return _join_baseurl(self.baseurl, self.urls[name])


@functools.cache
def _build_help(jekyll: str) -> str:
    try:
        proc = subprocess.run(
            [jekyll, "build", "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            env=_jekyll_env(),
            stdin=subprocess.DEVNULL,
        )
        return proc.stdout + proc.stderr
    except (OSError, subprocess.SubprocessError):
        return ""


def jekyll_available(jekyll: str = JEKYLL) -> bool:
    return shutil.which(jekyll) is not None


def _jekyll_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JEKYLL_ENV="production",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        # never let a Gemfile in the overlay pull in Bundler / other gems
        JEKYLL_NO_BUNDLER_REQUIRE="true",
    )
    env.pop("BUNDLE_GEMFILE", None)
    env.pop("JEKYLL_LOG_LEVEL", None)
    return env


_IGNORE_OVERLAY = shutil.ignore_patterns("_site", ".jekyll-cache", ".jekyll-metadata", ".sass-cache", ".git")


def _clear(path: Path, workdir: Path) -> None:
    path = path.resolve()
    if not (path == workdir or workdir in path.parents):
        raise ValueError(f"refusing to remove {path}: outside {workdir}")
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def extract_warnings(output: str, ignore: Sequence[str] = ()) -> list[str]:
    """Every line of Jekyll's output that is a warning or an error.

    A line matching :data:`WARNING_PATTERNS` is reported together with the
    topic-less continuation lines Jekyll prints right after it. Strings in
    ``ignore`` (the build's own paths, which may contain words like "error"
    when pytest names a temporary folder after a test) are blanked out before
    matching; reported lines are left intact.
    """
    found: list[str] = []
    in_warning = False
    ignore = sorted((s for s in ignore if s), key=len, reverse=True)
    for line in output.splitlines():
        if not line.strip():
            in_warning = False
            continue
        probe = line
        for s in ignore:
            probe = probe.replace(s, "<path>")
        if _WARNING_RE.search(probe):
            found.append(line.rstrip())
            in_warning = True
        elif in_warning and _CONTINUATION_RE.match(line) and not _INFO_RE.match(line):
            found.append(line.rstrip())
        else:
            in_warning = False
    return found


def build_blog(
    blog_root: Path,
    workdir: Path,
    baseurl: str = "",
    *,
    kramdown_warnings: bool = True,
    extra_args: Sequence[str] = (),
    timeout: float = 120,
    jekyll: str = JEKYLL,
) -> BuildResult:
    """Build the archiver's output folder ``blog_root`` in the Hux theme.

    ``workdir/site`` receives the theme, the extras, then everything in ``blog_root``
    (``_posts/``, ``img/``, any other file; ``_site`` and caches excluded),
    then ``jekyll build --strict_front_matter`` writes ``workdir/_site``.
    ``workdir/site``, ``workdir/_site`` and ``workdir/harness-config.yml`` are
    replaced on every call; nothing else is touched.

    ``kramdown_warnings`` adds ``kramdown: {show_warnings: true}`` through an
    extra ``--config`` file (rendering is unchanged; kramdown then reports e.g.
    raw HTML it had to auto-close). ANSI colour codes are removed from the
    captured output.
    """
    blog_root = Path(blog_root)
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "site"
    dest = workdir / "_site"
    for p in (source, dest):
        if p.exists() or p.is_symlink():
            _clear(p, workdir)

    shutil.copytree(THEME_DIR, source, ignore=_IGNORE_OVERLAY)
    shutil.copytree(EXTRAS_DIR, source, ignore=_IGNORE_OVERLAY, dirs_exist_ok=True)
    if blog_root.exists():
        shutil.copytree(blog_root, source, ignore=_IGNORE_OVERLAY, dirs_exist_ok=True)
    # the index is harness infrastructure: always ours
    shutil.copy2(EXTRAS_DIR / INDEX_FILE, source / INDEX_FILE)

    cmd = [jekyll, "build", "--source", str(source), "--destination", str(dest), "--strict_front_matter"]
    if kramdown_warnings:
        extra_config = workdir / "harness-config.yml"
        extra_config.write_text(
            "# written by tests/support/jekyll.py\nkramdown:\n  show_warnings: true\n", "utf-8"
        )
        configs = [source / "_config.yml", extra_config]
        cmd += ["--config", ",".join(str(c) for c in configs if c.exists())]
    if "--disable-disk-cache" in _build_help(jekyll):
        cmd.append("--disable-disk-cache")
    if baseurl:
        cmd += ["--baseurl", baseurl]
    cmd += list(extra_args)

    start = time.monotonic()
    try:
        proc = subprocess.run(
            cmd,
            cwd=str(source),
            env=_jekyll_env(),
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        rc = proc.returncode
        stdout = _ANSI_RE.sub("", proc.stdout.decode("utf-8", "replace"))
        stderr = _ANSI_RE.sub("", proc.stderr.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired as e:
        rc = -1
        stdout = _ANSI_RE.sub("", (e.stdout or b"").decode("utf-8", "replace"))
        stderr = _ANSI_RE.sub("", (e.stderr or b"").decode("utf-8", "replace"))
        stderr += f"\nERROR: jekyll timed out after {timeout}s"
    duration = time.monotonic() - start

    warnings = extract_warnings(
        stdout + "\n" + stderr, ignore=(str(workdir), str(blog_root.resolve()), str(blog_root))
    )
    pages: dict[str, Path] = {}
    urls: dict[str, str] = {}
    index: list[dict] = []
    index_file = dest / INDEX_FILE
    if rc == 0:
        try:
            index = json.loads(index_file.read_text("utf-8"))
        except (OSError, ValueError) as e:
            warnings.append(f"harness: error: cannot read {INDEX_FILE}: {e}")
    for entry in index:
        name = posixpath.basename(entry["path"])
        if name in urls:
            warnings.append(f"harness: warning: two posts named {name!r}")
        m = re.match(r"(\d{4}-\d{2}-\d{2})-", name)
        if m and entry.get("date") and not entry["date"].startswith(m.group(1)):
            warnings.append(
                f"harness: warning: {entry['path']}: file-name date {m.group(1)} "
                f"!= front-matter date {entry['date']} (site time zone)"
            )
        urls[name] = entry["url"]
        html = resolve_site_url(dest, entry["url"], "")
        if html is None:
            warnings.append(f"harness: error: page of {entry['path']} not found at {entry['url']}")
        else:
            pages[name] = html

    posts_dir = source / "_posts"
    sources = (
        sorted(
            p.name
            for p in posts_dir.rglob("*")
            if p.is_file()
            and not p.name.startswith(".")
            and p.suffix.lower() in (".md", ".markdown", ".mkd", ".mkdn", ".html")
        )
        if posts_dir.is_dir()
        else []
    )
    unrendered = [n for n in sources if n not in pages]

    return BuildResult(
        returncode=rc,
        stdout=stdout,
        stderr=stderr,
        warnings=warnings,
        pages=pages,
        urls=urls,
        unrendered=unrendered,
        site_dir=dest,
        source_dir=source,
        baseurl=baseurl,
        command=cmd,
        duration=duration,
        index=index,
    )


# --------------------------------------------------------------------------- URLs


def _norm_baseurl(baseurl: str) -> str:
    baseurl = (baseurl or "").strip()
    if baseurl in ("", "/"):
        return ""
    return "/" + baseurl.strip("/")


def _join_baseurl(baseurl: str, path: str) -> str:
    return _norm_baseurl(baseurl) + "/" + path.lstrip("/")


def resolve_site_url(site_dir: Path, url: str, baseurl: str = "", page_url: str | None = None) -> Path | None:
    """The file of the built site that a server at ``baseurl`` would send for ``url``.

    ``url`` is an absolute path that must start with the baseurl
    (``/blog/img/x.jpg`` for baseurl ``/blog``) or a relative URL. Relative
    URLs are resolved against ``page_url`` (the full path of the page holding
    the link, baseurl included, e.g. ``/blog/2017/02/11/x/``) or, without it,
    against the site root ``baseurl + "/"``. Percent-escapes are decoded;
    query and fragment are ignored; a directory maps to its ``index.html`` and
    an extension-less path may also map to ``path.html``.

    Returns ``None`` for external URLs (scheme or host), ``data:``/
    ``javascript:`` URLs, absolute paths outside the baseurl, paths escaping
    the site, and paths with no file.
    """
    site_dir = Path(site_dir).resolve()
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    base = _norm_baseurl(baseurl)
    path = parts.path
    if not path.startswith("/"):
        root = page_url if page_url is not None else base + "/"
        path = urljoin(root if root.startswith("/") else "/" + root, path)
        path = urlsplit(path).path
    # a server sees /a/./b/../c as /a/c
    trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
    path = posixpath.normpath(path)
    if trailing and not path.endswith("/"):
        path += "/"
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if base:
        if path == base:
            path = "/"
        elif path.startswith(base + "/"):
            path = path[len(base) :]
        else:
            return None
    rel = unquote(path).lstrip("/")
    if "\x00" in rel:
        return None
    target = (site_dir / rel).resolve() if rel else site_dir
    if target != site_dir and site_dir not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    elif not target.exists() and not rel.endswith("/") and not Path(rel).suffix:
        target = target.with_name(target.name + ".html")
    return target if target.is_file() else None


# --------------------------------------------------------------------------- pages


@dataclass
class PostView:
    html_path: Path
    title: str  # text of the header <h1> (title printed unescaped, as Hux does)
    title_html: str  # inner HTML of that <h1>: markup here means the title became HTML
    subtitle: str  # text of h2.subheading ("" when no subtitle: Hux always prints the h2)
    posted_by: str  # the whole line: "Posted by 刘晓宇 on November 25, 2026"
    author: str  # what stands between "Posted by" and "on <date>" ("" when nothing does)
    date: str  # as shown, e.g. "February 11, 2017"
    date_iso: str  # the post's date from the build's index, e.g. "2017-02-11T15:35:00+08:00"
    tags: list[str]
    header_img: str | None  # URL inside background-image: url('...') of the post header
    header_mask: str | None  # the alpha in rgba(0,0,0, X), or None
    catalog: bool  # the side catalog's container is on the page (Hux: unless page.no-catalog)
    headings: list[tuple[str, str, str]]  # (tag, id, text) of each h1-h6 of the post body:
    # what Hux's generateCatalog() lists, each linked to "#" + its id
    head_title: str  # <title> text
    content_html: str  # raw HTML of the post body ({{ content }})
    content_text: str  # whitespace-normalised text of the post body
    lead: str  # text of the first <p> of the body (date / view-count line)
    blockquote_count: int  # top-level <blockquote>s in the body
    quote_paragraphs: list[str]  # text of each <p> inside the first top-level blockquote
    quote_blocks: list[tuple[str, str]]  # (tag, text) of that blockquote's child elements
    quote_html: str  # raw outer HTML of that blockquote ("" if none)
    images: list[str]  # every <img src> in the body, in order
    source_link_href: str | None  # the 原文地址 link (last one in the body)
    source_link_target: str | None


def _inner_html(el) -> str:
    from lxml import etree

    parts = [el.text or ""]
    for child in el:
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def _text(el) -> str:
    return norm_ws(el.text_content()) if el is not None else ""


def _first(els):
    return els[0] if els else None


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


_POSTED_BY = re.compile(r"^Posted by\s*(?P<author>.*?)\s*on\s+(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})$", re.S)


def _post_body(container):
    """The post's own content inside Hux's ``div.post-container``, as a ``div``.

    Hux prints ``{{ content }}`` straight into the container, followed by
    ``<hr style="visibility: hidden;">`` and ``<ul class="pager">`` (then the comment
    boxes): the body is every node before that ``hr``.
    """
    children = list(container)
    end = len(children)
    for i, child in enumerate(children):
        if (
            child.tag == "ul"
            and "pager" in (child.get("class") or "").split()
            and i > 0
            and children[i - 1].tag == "hr"
            and "hidden" in (children[i - 1].get("style") or "")
        ):
            end = i - 1
    body = container.makeelement("div", {})
    body.text = container.text
    for child in children[:end]:
        body.append(child)  # moves it: the page tree is ours alone
    if end:
        body[-1].tail = (body[-1].tail or "").rstrip() or None
    return body


def post_view(html_path: Path, date_iso: str = "") -> PostView:
    """Parse a rendered post page of Hux's post layout (``_layouts/post.html``)."""
    from lxml import etree
    from lxml import html as lhtml

    html_path = Path(html_path)
    parser = lhtml.HTMLParser(encoding="utf-8")
    doc = lhtml.fromstring(html_path.read_bytes(), parser=parser)

    heading = _first(doc.xpath(f"//header[{_has_class('intro-header')}]//div[{_has_class('post-heading')}]"))
    if heading is None:
        raise AssertionError(f"{html_path}: no post header (not rendered with the post layout?)")
    h1 = _first(heading.xpath("./h1"))
    h2 = _first(heading.xpath(f"./h2[{_has_class('subheading')}]"))
    meta = _first(heading.xpath(f"./span[{_has_class('meta')}]"))
    posted_by = _text(meta)
    m = _POSTED_BY.match(posted_by)
    if meta is None or not m:
        raise AssertionError(
            f"{html_path}: no 'Posted by … on <date>' line in the post header: {posted_by!r}"
        )
    tags = [_text(a) for a in heading.xpath(f"./div[{_has_class('tags')}]/a[{_has_class('tag')}]")]

    header_img = header_mask = None
    for style in doc.xpath("//style"):
        css = style.text or ""
        if "header.intro-header" not in css:
            continue
        m_img = re.search(r"background-image:\s*url\(\s*(['\"]?)(.*?)\1\s*\)", css, re.S)
        if m_img:
            header_img = m_img.group(2)
        m_mask = re.search(r"rgba\(\s*0\s*,\s*0\s*,\s*0\s*,\s*([^)]*?)\s*\)", css)
        if m_mask:
            header_mask = m_mask.group(1)
        break

    container = _first(doc.xpath(f"//div[{_has_class('post-container')}]"))
    if container is None:
        raise AssertionError(f"{html_path}: no div.post-container")
    head_title = _first(doc.xpath("//head/title"))
    catalog = bool(doc.xpath(f"//div[{_has_class('catalog-container')}]//ul[{_has_class('catalog-body')}]"))
    content = _post_body(container)
    headings = [
        (el.tag, el.get("id") or "", _text(el)) for el in content.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    lead = _first(content.xpath("./p"))
    quotes = content.xpath("./blockquote")
    quote = quotes[0] if quotes else None
    links = [a for a in content.xpath(".//a") if norm_ws(a.text_content()) == "原文地址"]
    link = links[-1] if links else None

    return PostView(
        html_path=html_path,
        title=_text(h1),
        title_html=_inner_html(h1).strip() if h1 is not None else "",
        subtitle=_text(h2),
        posted_by=posted_by,
        author=m.group("author"),
        date=m.group("date"),
        date_iso=date_iso,
        tags=tags,
        header_img=header_img,
        header_mask=header_mask,
        catalog=catalog,
        headings=headings,
        head_title=_text(head_title),
        content_html=_inner_html(content),
        content_text=_text(content),
        lead=_text(lead),
        blockquote_count=len(quotes),
        quote_paragraphs=[_text(p) for p in quote.iter("p")] if quote is not None else [],
        quote_blocks=[(child.tag, _text(child)) for child in quote if isinstance(child.tag, str)]
        if quote is not None
        else [],
        quote_html=etree.tostring(quote, encoding="unicode", method="html", with_tail=False)
        if quote is not None
        else "",
        images=[img.get("src") for img in content.iter("img")],
        source_link_href=link.get("href") if link is not None else None,
        source_link_target=link.get("target") if link is not None else None,
    )


# --------------------------------------------------------------------------- checks

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
_FENCE = re.compile(r"^(```|~~~)")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"\*\*|__|`")
_SOURCE_LINK = re.compile(r"\[原文地址\]\(([^)\s]+)\)")


def read_post(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a post file."""
    import yaml

    text = Path(path).read_text("utf-8")
    m = _FRONT_MATTER.match(text)
    if not m:
        raise AssertionError(f"{path}: no front matter")
    return yaml.safe_load(m.group(1)) or {}, text[m.end() :]


def _shown(value) -> str:
    """What the theme shows for a front-matter value it prints raw into HTML."""
    return norm_ws(html_unescape(str(value))) if value is not None else ""


def markdown_headings(body: str) -> list[tuple[int, str]]:
    """(level, text) of each ATX heading of a post body, inside blockquotes too, outside code."""
    found = []
    fenced = False
    for line in body.splitlines():
        while line.startswith(">"):
            line = line[1:].removeprefix(" ")
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        m = None if fenced else _MD_HEADING.match(line)
        if m:
            text = _MD_EMPHASIS.sub("", _MD_LINK.sub(r"\1", m.group(2)))
            found.append((len(m.group(1)), norm_ws(html_unescape(_MD_ESCAPE.sub(r"\1", text)))))
    return found


_NOT_ARCHIVED = re.compile(r"Image not archived, the post keeps its original URL: (\S+) \(")


def not_archived_images(log: str) -> set[str]:
    """Image URLs a crawl's log says it could not download (their posts keep them)."""
    return set(_NOT_ARCHIVED.findall(log))


def check_post(build: BuildResult, post_file: Path, not_archived: set[str] = frozenset()) -> list[str]:
    """What is wrong on the built page of ``post_file``, as a reader sees it ([] when nothing).

    Checked against the post file: a "Posted by" naming a non-empty author (the
    front matter's), the title, the subtitle, the tags, the catalog and each heading
    of the post body with the id its catalog entry links to, every image of the body
    and the header image an existing file of the built site, and the 原文地址 link
    (the post's, opening in a new tab). An image may stay a remote URL only when it is
    in ``not_archived``, the crawl's own report of images it failed to download
    (:func:`not_archived_images` of its log).
    """
    post_file = Path(post_file)
    name = post_file.name
    if name not in build.pages:
        return [f"{name}: no page in the build"]
    fm, body = read_post(post_file)
    view = build.view(name)
    page_url = build.page_url(name)
    problems = []

    def expect(what, shown, wanted):
        if shown != wanted:
            problems.append(f"{name}: {what} shows {shown!r}, the post says {wanted!r}")

    if not view.author:
        problems.append(f"{name}: empty author: {view.posted_by!r}")
    expect("Posted by", view.author, _shown(fm.get("author")))
    expect("title", view.title, _shown(fm.get("title")))
    expect("subtitle", view.subtitle, _shown(fm.get("subtitle")))
    expect("tags", view.tags, [_shown(t) for t in fm.get("tags") or []])
    if not view.catalog:
        problems.append(f"{name}: no side catalog")
    expect("headings", [(int(tag[1]), text) for tag, _, text in view.headings], markdown_headings(body))
    ids = [hid for _, hid, _ in view.headings]
    if "" in ids or len(set(ids)) != len(ids):
        problems.append(f"{name}: headings without a unique id, the catalog cannot link them: {ids}")
    for src in view.images:
        if src in not_archived:
            continue
        if resolve_site_url(build.site_dir, src, build.baseurl, page_url=page_url) is None:
            problems.append(f"{name}: image {src!r} is no file of the built site")
    if view.header_img and resolve_site_url(build.site_dir, view.header_img, build.baseurl) is None:
        problems.append(f"{name}: header image {view.header_img!r} is no file of the built site")
    links = _SOURCE_LINK.findall(body)
    if not links:
        problems.append(f"{name}: the post has no 原文地址 link")
    expect("原文地址 link", view.source_link_href, links[-1] if links else None)
    expect("原文地址 link target", view.source_link_target, "_blank")
    return problems


def check_posts(build: BuildResult, posts, not_archived: set[str] = frozenset()) -> list[str]:
    """:func:`check_post` on every post file of ``posts`` (at least one), problems of all."""
    posts = list(posts)
    if not posts:
        return ["no post to check"]
    return [problem for post in posts for problem in check_post(build, post, not_archived)]


# --------------------------------------------------------------------------- safety

ACTIVE_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "base",
    "link",
    "meta",
}


def active_content(html: str) -> list[str]:
    """Everything active in an HTML fragment: elements that run or embed things, event
    handler attributes, and links or sources with a script or data URL. Text that merely
    *reads* like markup (escaped) is not active."""
    from lxml import html as lhtml

    fragment = lhtml.fragment_fromstring(html or "<div></div>", create_parent="div")
    found = []
    for el in fragment.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in ACTIVE_TAGS:
            found.append(f"<{el.tag}>")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{el.tag}@{name}")
            if name.lower() in ("href", "src", "action", "formaction", "srcset", "style") and re.search(
                r"^\s*(javascript|vbscript|data):|url\(\s*['\"]?\s*(javascript|data):", value, re.I
            ):
                found.append(f"{el.tag}@{name}={value[:40]}")
    return found
