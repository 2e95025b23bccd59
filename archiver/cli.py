"""``archiver``: commands around the Scrapy project.

``archiver demo`` serves the bundled jiemian-like site on 127.0.0.1 and runs the
real ``scrapy crawl jiemian`` against it, leaving posts in ``output/_posts``.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from archiver.demo.server import SITE, FixtureServer


def scrapy_env() -> dict[str, str]:
    """Environment in which ``scrapy`` finds this project from any folder."""
    env = dict(os.environ)
    env.setdefault("SCRAPY_SETTINGS_MODULE", "archiver.settings")
    return env


def crawl_command(spider: str, args: dict[str, str], settings: dict[str, str]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for name, value in args.items():
        command += ["-a", f"{name}={value}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def demo_settings(origin: str, output: str) -> dict[str, str]:
    """The crawl settings of the demo: the local copy instead of jiemian.com; no
    politeness delays, since the only server is our own."""
    return {
        "JIEMIAN_ORIGIN": origin,
        "JIEMIAN_DEFAULT_LISTS": "65,800",
        "JIEMIAN_DEFAULT_PAGES": "3",
        "ARCHIVER_OUTPUT": output,
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
    }


def demo(args: argparse.Namespace) -> int:
    output = Path(args.output).expanduser()
    with FixtureServer(SITE) as server:
        print(f"Serving the bundled jiemian-like site at {server.url} (offline demo)")
        command = crawl_command("jiemian", {}, demo_settings(server.url, str(output)))
        print("Running:", " ".join(command[1:]))
        code = subprocess.call(command, env=scrapy_env())
    posts = sorted((output / "_posts").glob("*.md"))
    print(f"\n{len(posts)} posts in {output / '_posts'}:")
    for post in posts:
        print(f"  {post.name}")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="archiver", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="crawl the bundled offline copy of jiemian into output/")
    p_demo.add_argument("--output", default="output", help="blog root (default: output)")
    p_demo.set_defaults(func=demo)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
