"""``archiver preview``: the blog's posts as the Hux theme shows them, on 127.0.0.1.

Copies the vendored Hux theme (``hux/``, Apache-2.0, see ``hux/README.md``) into a
temporary folder, adds the blog's ``_posts/`` and ``img/``, builds it with Jekyll and
serves the built site until Ctrl-C, which removes the temporary folder. The blog itself
is only read.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

#: The vendored theme: the one copy in the repository, also the tests' blog.
THEME_DIR = Path(__file__).resolve().parent / "hux"
JEKYLL_PACKAGES = "apt-get install jekyll ruby-jekyll-paginate"
#: Folders of the blog root that the preview takes (the rest of the blog is not read).
BLOG_FOLDERS = ("_posts", "img")
# Settings of Hux's own site that would report a preview to his accounts, or install a
# service worker that outlives the preview in the browser. ``false``, not "": an empty
# string is true in Liquid.
PREVIEW_CONFIG = """\
# written by archiver preview, over the theme's _config.yml
url: "{url}"
ga_track_id: false
ba_track_id: false
disqus_username: false
netease_comment: false
service-worker: false
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: a free port)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 for every network)",
    )


def assemble(blog: Path, source: Path, theme: Path = THEME_DIR) -> None:
    """``source`` = a copy of the theme with the blog's ``_posts/`` and ``img/`` over it."""
    shutil.copytree(theme, source, ignore=shutil.ignore_patterns("__pycache__"))
    for name in BLOG_FOLDERS:
        if (blog / name).is_dir():
            shutil.copytree(
                blog / name, source / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*")
            )


def jekyll_build(source: Path, dest: Path, configs: list[Path]) -> subprocess.CompletedProcess:
    env = dict(os.environ, JEKYLL_ENV="production", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("BUNDLE_GEMFILE", None)
    command = ["jekyll", "build", "--source", str(source), "--destination", str(dest)]
    command += ["--config", ",".join(str(c) for c in configs)]
    return subprocess.run(
        command, cwd=source, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if shown == "::":
        shown = "::1"
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def _stop(signum, frame):
    raise KeyboardInterrupt


def preview(args: argparse.Namespace, extra: list[str]) -> int:
    from archiver.cli import run_settings
    from archiver.config import blog_root
    from archiver.preview.server import _bind, _Handler

    blog = blog_root(run_settings(extra)).resolve()
    posts = sorted(p for p in (blog / "_posts").glob("*") if p.is_file() and not p.name.startswith("."))
    if not (blog / "_posts").is_dir():
        print(
            f"archiver preview: no _posts/ in {blog}: run `archiver demo` first, "
            "or name the blog with -s ARCHIVER_OUTPUT=…",
            file=sys.stderr,
        )
        return 2
    if shutil.which("jekyll") is None:
        print(
            "archiver preview: Jekyll is not installed (no `jekyll` on PATH). "
            f"On Debian or Ubuntu: {JEKYLL_PACKAGES}",
            file=sys.stderr,
        )
        return 2
    try:
        server = _bind(args.host, args.port)
    except OSError as e:
        print(f"archiver preview: cannot listen on {args.host}:{args.port}: {e}", file=sys.stderr)
        return 2
    url = _url(args.host, server.server_address[1])
    # Ctrl-C and kill stop it the same way, even when started with SIGINT ignored (a
    # background job of a script)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    work = Path(tempfile.mkdtemp(prefix="archiver-preview-"))
    serving = False
    try:
        print(f"Building {len(posts)} posts of {blog} in the Hux theme, in {work}", flush=True)
        source, site = work / "site", work / "_site"
        assemble(blog, source)
        overlay = work / "preview-config.yml"
        overlay.write_text(PREVIEW_CONFIG.format(url=url.rstrip("/")), "utf-8")
        start = time.monotonic()
        built = jekyll_build(source, site, [source / "_config.yml", overlay])
        if built.returncode != 0:
            print(built.stdout + built.stderr, file=sys.stderr)
            hint = f" (is ruby-jekyll-paginate installed? {JEKYLL_PACKAGES})"
            missing = "jekyll-paginate" in built.stdout + built.stderr
            print(f"archiver preview: jekyll build failed{hint if missing else ''}", file=sys.stderr)
            return 1
        print(f"Built in {time.monotonic() - start:.1f} s", flush=True)
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print(f"Listening on {args.host}: other machines can see the preview.", flush=True)
        server.RequestHandlerClass = partial(_Handler, directory=str(site))
        print(f"Serving the preview at {url}  (Ctrl-C to stop)", flush=True)
        serving = True
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)
    # said once the temporary build is gone; stopped before serving is not a success
    print("\nStopped.", flush=True)
    return 0 if serving else 130
