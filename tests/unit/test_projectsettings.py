"""The settings ``archiver`` reads without Scrapy give what Scrapy's own would give."""

from __future__ import annotations

import pytest
from scrapy.utils.project import get_project_settings

from archiver import config
from archiver import settings as defaults
from archiver.cli import run_settings

OVERRIDES = [
    "-s",
    "ARCHIVER_OUTPUT=~/blog",
    "-s",
    "ARCHIVER_WARC=false",
    "-s",
    "ARCHIVER_WARC_MAX_MB=7",
    "-s",
    "ARCHIVER_STATE_TIMEOUT=2.5",
    "-a",
    "lists=65",
]


def scrapy_settings(monkeypatch):
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "archiver.settings")
    found = get_project_settings()
    for flag, value in zip(OVERRIDES, OVERRIDES[1:]):
        if flag == "-s":
            name, _, val = value.partition("=")
            found.set(name, val, priority="cmdline")
    return found


def test_every_archiver_setting_reads_as_scrapy_reads_it(monkeypatch):
    light, real = run_settings(OVERRIDES), scrapy_settings(monkeypatch)
    names = [n for n in dir(defaults) if n.isupper()]
    assert "ARCHIVER_OUTPUT" in names and len(names) > 30
    for name in names:
        assert light.get(name) == real.get(name), name
    assert config.blog_root(light) == config.blog_root(real)
    assert config.state_dir(light) == config.state_dir(real)
    assert config.warc_dir(light) == config.warc_dir(real)
    assert config.getbool(light, "ARCHIVER_WARC") is config.getbool(real, "ARCHIVER_WARC") is False
    assert config.getint(light, "ARCHIVER_WARC_MAX_MB") == 7
    assert config.getfloat(light, "ARCHIVER_STATE_TIMEOUT") == 2.5
    assert light.getlist("ARCHIVER_HEADER_IMG_POOL") == real.getlist("ARCHIVER_HEADER_IMG_POOL")


@pytest.mark.parametrize("value", ["1", "0", "True", "true", "False", "false", 1, 0, True, False])
def test_booleans_as_scrapy_reads_them(value, monkeypatch):
    real = scrapy_settings(monkeypatch)
    real.set("X_FLAG", value, priority="cmdline")
    light = run_settings(["-s", "X=1"])
    light._values["X_FLAG"] = value
    assert light.getbool("X_FLAG") is real.getbool("X_FLAG")


def test_a_wrong_boolean_is_refused_with_its_name():
    light = run_settings(["-s", "ARCHIVER_WARC=maybe"])
    with pytest.raises(ValueError, match="ARCHIVER_WARC"):
        light.getbool("ARCHIVER_WARC")
