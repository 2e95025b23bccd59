"""Look at an archived post as a reader would: crawl the offline demo, build it in the
real Hux theme (the tests' blog) with Jekyll, serve the site on 127.0.0.1, and take a headless
Chromium screenshot of one post.

    python tools/screenshot_post.py [--post 14835210] [--out post.png]

Needs Debian's jekyll, ruby-jekyll-paginate, chromium and fonts-noto-cjk
(``apt-get install jekyll ruby-jekyll-paginate chromium fonts-noto-cjk``).
Pixels are for a person to judge; nothing here asserts them.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from archiver.cli import crawl_command, demo_settings, scrapy_env  # noqa: E402
from archiver.demo.server import SITE, FixtureServer  # noqa: E402
from tests.support import jekyll as jekyll_check  # noqa: E402  (the test blog and its build harness)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--post", default="14835210", help="article id of the post to show")
    parser.add_argument("--out", default="post-screenshot.png", help="PNG file to write")
    parser.add_argument("--baseurl", default="/blog", help="serve the blog under this baseurl")
    parser.add_argument("--height", type=int, default=2600)
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("chromium not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        blog = Path(tmp) / "blog"
        with FixtureServer(SITE) as server:
            subprocess.run(
                crawl_command("jiemian", {}, demo_settings(server.url, str(blog))),
                env=scrapy_env(),
                check=True,
                capture_output=True,
            )
        build = jekyll_check.build_blog(blog, Path(tmp) / "work", baseurl=args.baseurl)
        if build.returncode != 0 or build.warnings:
            print(build.describe(), file=sys.stderr)
            return 1
        name = next((n for n in build.pages if n.split(".")[0].split("-")[4] == args.post), None)
        if name is None:
            print(f"no post for article {args.post}; posts: {sorted(build.pages)}", file=sys.stderr)
            return 1
        # serve _site under the baseurl, as a web server of the blog would
        served = Path(tmp) / "www"
        shutil.copytree(build.site_dir, served / args.baseurl.strip("/"))
        handler = functools.partial(_Quiet, directory=str(served))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}{build.page_url(name)}"
        out = Path(args.out).resolve()
        try:
            subprocess.run(
                [
                    browser,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={tmp}/chrome",
                    f"--window-size=1280,{args.height}",
                    f"--screenshot={out}",
                    url,
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        finally:
            httpd.shutdown()
    print(f"{url} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
