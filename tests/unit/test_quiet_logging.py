"""While a crawl runs, log records that no handler writes are not made (QuietLogging in
archiver/extensions.py); what the log file holds does not change. Each case runs in its
own Python, with Scrapy's own root handler writing the log file, as ``scrapy crawl`` does."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import logging, sys
    from scrapy import Spider, signals
    from scrapy.utils.log import install_scrapy_root_handler
    from scrapy.utils.test import get_crawler
    from archiver.extensions import QuietLogging

    level, log = sys.argv[1], sys.argv[2]
    crawler = get_crawler(Spider, {"LOG_LEVEL": level, "LOG_FILE": log})
    install_scrapy_root_handler(crawler.settings)
    quiet = QuietLogging.from_crawler(crawler)  # kept: signals hold receivers weakly
    crawler.signals.send_catch_log(signals.engine_started)
    made = logging.getLogger("scrapy.core.engine").isEnabledFor(logging.DEBUG)
    logging.getLogger("scrapy.core.engine").debug("Crawled (200) <GET https://x/1>")
    logging.getLogger("archiver.pipelines").info("New post a.md")
    crawler.signals.send_catch_log(signals.engine_stopped)
    print(made, logging.root.level)
    """
)


@pytest.mark.parametrize(("level", "made"), [("INFO", False), ("DEBUG", True)])
def test_debug_records_are_made_only_when_a_handler_writes_them(tmp_path, level, made):
    log = tmp_path / "run.log"
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, level, str(log)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(made), "0"]  # the root logger's level is given back after the crawl
    text = log.read_text(encoding="utf-8")
    assert "INFO: New post a.md" in text
    assert ("DEBUG: Crawled (200) <GET https://x/1>" in text) is made
