"""Good manners are the defaults: what a site operator sees from this crawler."""

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from archiver import settings as archiver_settings


def project_settings() -> Settings:
    settings = Settings()
    settings.setmodule(archiver_settings, priority="project")
    return settings


def test_robots_txt_is_obeyed():
    assert project_settings().getbool("ROBOTSTXT_OBEY") is True


def test_autothrottle_on_and_at_most_four_requests_per_domain():
    settings = project_settings()
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 4


def test_user_agent_names_the_project():
    assert "news-archiver" in project_settings().get("USER_AGENT")


def test_5xx_and_429_are_retried_with_backoff_middleware():
    settings = project_settings()
    codes = set(settings.getlist("RETRY_HTTP_CODES"))
    assert {500, 502, 503, 504, 429} <= {int(c) for c in codes}
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert "archiver.middlewares.BackoffRetryMiddleware" in middlewares


def test_every_archiver_setting_is_documented_in_the_settings_module():
    source = archiver_settings.__file__
    text = open(source, encoding="utf-8").read()
    for name in dir(archiver_settings):
        if name.startswith(("ARCHIVER_", "JIEMIAN_")):
            line = next(line for line in text.splitlines() if line.startswith(f"{name} ="))
            before = text[: text.index(line)].rstrip().splitlines()[-1]
            assert before.startswith("#:"), f"{name} has no '#:' comment above it"


def test_scrapy_finds_the_project_settings(monkeypatch):
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "archiver.settings")
    assert get_project_settings().get("BOT_NAME") == "news-archiver"


def test_contact_url_is_added_to_the_user_agent():
    from spiders.jiemian import JiemianSpider

    settings = project_settings()
    settings.set("ARCHIVER_CONTACT_URL", "https://blog.example.org/about", priority="cmdline")
    JiemianSpider.update_settings(settings)
    assert (
        settings.get("USER_AGENT")
        == "news-archiver/0.1 (personal news archive) (+https://blog.example.org/about)"
    )


def test_no_extension_listens_on_a_port_and_scrapys_others_still_run():
    """A cron job opens no telnet console or remote-control server; memory limits,
    close conditions, log stats and feeds still work as Scrapy documents them."""
    extensions = project_settings().getwithbase("EXTENSIONS")
    names = {name.rsplit(".", 1)[-1] for name in extensions}
    assert not names & {"TelnetConsole", "RemoteControl"}
    assert {"CoreStats", "LogStats", "MemoryUsage", "CloseSpider", "FeedExporter"} <= names
    assert "archiver.extensions.RunSummary" in extensions
    from scrapy.settings import default_settings

    listening = {"scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl"}
    scrapys = {
        name: order for name, order in default_settings.EXTENSIONS_BASE.items() if name not in listening
    }
    assert scrapys == archiver_settings.EXTENSIONS_BASE  # every other one of this Scrapy's
