"""Scrapy settings of news-archiver, and every setting of the archiver with its default.

This module is the one documented place for configuration. Every value can be
overridden per run with Scrapy's ``-s NAME=VALUE``, e.g.
``scrapy crawl jiemian -s ARCHIVER_OUTPUT=~/myblog -s ARCHIVER_AUTHOR=Sinter``.
"""

BOT_NAME = "news-archiver"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --------------------------------------------------------------------------
# The blog (post format: see README "Post format")
# --------------------------------------------------------------------------

#: Root folder of the Jekyll blog; posts go to ``<root>/_posts``. ``~`` is expanded.
ARCHIVER_OUTPUT = "output"
#: ``author:`` of every post. Empty: the article's byline (authors joined with "/"); an
#: article with no byline (reprints, newsflashes) gets its credited source (新华社 for
#: ``来源：新华社``), else the site's name. A post never has an empty author.
ARCHIVER_AUTHOR = ""
#: Add a reprint's source (``来源：新华社`` on a jiemian page) as a tag after the site's
#: name, so that the blog's tag page finds every 新华社 article. The site's own articles
#: (来源：界面新闻) get no extra tag.
ARCHIVER_TAG_SOURCE = True
#: ``header-img:`` policy: ``cover`` (the article's cover when it is archived in the
#: blog, else the pool, else no header-img line), ``pool`` (a picture of
#: ARCHIVER_HEADER_IMG_POOL chosen stably per article) or a fixed path such as
#: ``img/post-bg.jpg``.
ARCHIVER_HEADER_IMG = "cover"
#: Pictures of the blog for the ``pool`` policy: a list, or a comma-separated string.
ARCHIVER_HEADER_IMG_POOL = []  # type: list[str]
#: ``header-mask:`` value.
ARCHIVER_HEADER_MASK = 0.3
#: ``catalog:`` value.
ARCHIVER_CATALOG = True
#: Add the site's own category (e.g. 科技) as a second tag.
ARCHIVER_TAG_CATEGORY = False
#: Tags every post gets after the outlet's name (and category): a list, or a
#: comma-separated string. A source of the sources file sets it with ``tags = [...]``.
ARCHIVER_EXTRA_TAGS = []  # type: list[str]
#: Add ``source_url``, ``source_id``, ``byline`` and ``category`` keys to the front matter.
ARCHIVER_EXTRA_FRONT_MATTER = False
#: Time zone of post dates and file names; set the same ``timezone:`` in _config.yml.
ARCHIVER_TIMEZONE = "Asia/Shanghai"
#: Post file names: ``id`` (``2017-02-11-jiemian-1108857.md``) or ``id-pinyin``
#: (``2017-02-11-jiemian-1108857-liu-qiang-dong-yao-jiang.md``; the id stays the key).
ARCHIVER_FILENAME_STYLE = "id"

#: Download the article's images (and cover) into the blog, so that the post survives
#: the site; off: posts link to the original image URLs.
ARCHIVER_IMAGES = True
#: Folder of the archived images under the blog root: ``<dir>/<source>/<id>/NN.<ext>``.
ARCHIVER_IMAGES_DIR = "img"
#: Folder of the archiver's state (SQLite database, run lock); empty:
#: ``<blog root>/.archiver`` (a dot-folder: Jekyll never builds it).
ARCHIVER_STATE_DIR = ""
#: Set by ``archiver rebuild --jobs N`` for its workers: the pid of the parent that holds
#: the run lock for them. Not for hand use.
ARCHIVER_LOCK_HELD_BY = 0
#: Name of the sources-file source this run is (set by ``archiver crawl`` with no spider,
#: for the run history and ``archiver status``); empty: the spider's name.
ARCHIVER_SOURCE = ""
#: Seconds to wait for the state database while another program holds it.
ARCHIVER_STATE_TIMEOUT = 30.0
#: Fetch again, at the start of each run, the pages that failed for a passing reason
#: (5xx, 429, timeouts, network errors) in earlier runs ...
ARCHIVER_RETRY_FAILURES = True
#: ... until they failed this many times.
ARCHIVER_MAX_ATTEMPTS = 5
#: Keep every fetched article page as WARC/1.1 (gzip), the web archiving world's format:
#: ``archiver rebuild`` re-renders posts from it with no network.
ARCHIVER_WARC = True
#: Also keep lists, feeds, images and robots.txt in the WARC files.
ARCHIVER_WARC_EVERYTHING = False
#: Folder of the WARC files; empty: ``<state dir>/warc``.
ARCHIVER_WARC_DIR = ""
#: A WARC file is closed and a new one started past this size (and every UTC day).
ARCHIVER_WARC_MAX_MB = 100
#: gzip level of the WARC files (1 fastest … 9 smallest). 4 compresses a page in 0.9 ms,
#: 3 % larger than 9, which takes 2.1 ms (more than fetching the page).
ARCHIVER_WARC_GZIP_LEVEL = 4
#: Report what a run would write (new, changed, unchanged) and write nothing.
ARCHIVER_DRY_RUN = False
#: Write the run's statistics (counters of new, skipped, dropped, failed) as JSON
#: to this file at the end of the run; empty: don't.
ARCHIVER_STATS_FILE = ""
#: Set by ``archiver crawl``/``rebuild`` when its stderr is a terminal: the file where the
#: crawl keeps its progress (articles done, and their total when known) for the bar the
#: command shows (archiver/progress.py). Empty: no progress is kept. Not for hand use.
ARCHIVER_PROGRESS_FILE = ""

# --------------------------------------------------------------------------
# Crawling
# --------------------------------------------------------------------------

#: Contact URL named in the User-Agent, so a site's operator can reach you.
ARCHIVER_CONTACT_URL = ""
#: Retry back-off: the n-th retry of a 5xx/429 answer or a network error waits
#: BASE * 2**(n-1) seconds (±20 %), at most ARCHIVER_RETRY_BACKOFF_MAX.
ARCHIVER_RETRY_BACKOFF_BASE = 2.0
#: Longest back-off, in seconds; also caps a server's ``Retry-After``.
ARCHIVER_RETRY_BACKOFF_MAX = 120.0

#: jiemian: category lists crawled when no argument is given (plus the site feed).
JIEMIAN_DEFAULT_LISTS = "2,800,801,65"
#: jiemian: list pages read per category (1 = the list page, 2+ = the AJAX pager).
JIEMIAN_DEFAULT_PAGES = 1
#: jiemian: serve every jiemian host from this origin instead, e.g.
#: ``http://127.0.0.1:8000`` (the offline demo and the tests use it). Posts keep the
#: real www.jiemian.com URLs.
JIEMIAN_ORIGIN = ""

#: article spider: fetch every URL from this origin instead, as ``<origin>/<host><path>``
#: (tests and demos); posts keep the real URLs.
ARTICLE_ORIGIN = ""

#: article spider, ``-a follow``: new articles requested per followed source and run when
#: no ``-a max_items`` is given (newest first; the rest are left for the next runs, and
#: the summary counts them as skipped ``over_max_items``). 0: no cap.
ARCHIVER_FOLLOW_MAX_ITEMS = 500
#: ... items read of one feed: a longer feed is reported as failed (``too_many_entries``)
#: and only its first items are read (feeds hold tens; parsing takes ~1 ms an item).
ARCHIVER_FEED_MAX_ITEMS = 1000
#: ... URLs read of one sitemap (the sitemap protocol's own limit); more: as above.
ARCHIVER_SITEMAP_MAX_URLS = 50000
#: ... child sitemaps (of sitemap indexes and robots.txt) read per source and run; more
#: are reported (``too_many_sitemaps``) and not followed. Bounds an endless index chain.
ARCHIVER_SITEMAP_MAX_CHILDREN = 200

# --------------------------------------------------------------------------
# Workers: one crawl shared by many processes (archiver crawl SPIDER --workers N)
# --------------------------------------------------------------------------

#: Redis of the shared crawl (``redis://host:6379/0``, ``rediss://…``, ``unix:///path``):
#: the request queue and seen-set (scrapy-redis) and the articles on their way to the one
#: writer. Empty: no Redis; ``--workers`` needs it, nothing else does.
ARCHIVER_REDIS_URL = ""
#: First part of every Redis key of a shared crawl: ``<prefix>:<spider>:requests`` …
#: Two blogs sharing one Redis and one spider name need different prefixes.
ARCHIVER_REDIS_PREFIX = "archiver"
#: Seconds a worker's heartbeat lives in Redis: a worker silent this long is dead, and
#: the requests it held go back on the queue.
ARCHIVER_WORKER_HEARTBEAT = 10.0
#: Set by ``archiver crawl --workers`` for its processes: ``worker`` (fetch and parse,
#: send articles to Redis) or ``writer`` (take them and write the blog). Not for hand use.
ARCHIVER_WORKER_ROLE = ""
#: ... and the name of each worker in Redis. Not for hand use.
ARCHIVER_WORKER_ID = ""
#: Set by ``archiver worker`` (a worker on another machine, joining a running shared
#: crawl): it asks for no start request of its own, and stays until the run ends. Not for
#: hand use.
ARCHIVER_WORKER_JOIN = False
#: Set by ``archiver worker``: the WARC records it writes also go, through Redis, to the
#: blog's writer, which adds them to the blog's WARC archive. Not for hand use.
ARCHIVER_WARC_SHIP = False

# --------------------------------------------------------------------------
# Good manners
# --------------------------------------------------------------------------

#: Workers of a shared crawl (``--workers``) keep each site's DOWNLOAD_DELAY (or
#: AutoThrottle's delay) and CONCURRENT_REQUESTS_PER_DOMAIN together, through leases in
#: Redis (archiver/workers/throttle.py). A lease expires this many seconds after the
#: request's download timeout, so the slots of a worker killed mid-download come back.
ARCHIVER_THROTTLE_LEASE_GRACE = 5.0
#: ... seconds between two asks of Redis while a site's concurrency is used up by other
#: workers (a lease this worker gives back is noticed at once).
ARCHIVER_THROTTLE_POLL = 0.05
ROBOTSTXT_OBEY = True
USER_AGENT = "news-archiver/0.1 (personal news archive)"  # + contact URL, see above
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
#: Spider output handled at once per response. Scrapy starts this many worker tasks for
#: every response; an article page yields one item, so 1 loses nothing, and Scrapy's
#: 100 cost more CPU per page than the whole of a bare fetch's item handling.
CONCURRENT_ITEMS = 1
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
#: A news page is < 1 MB; refuse anything far larger instead of buffering it.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "archiver.middlewares.BackoffRetryMiddleware": 550,
    "archiver.middlewares.SkipArchivedMiddleware": 50,
    "archiver.middlewares.ConditionalRequestMiddleware": 60,
    "archiver.middlewares.WarcSourceMiddleware": 10,
    "archiver.middlewares.WarcRecorder": 950,
    "archiver.middlewares.IntactBodyMiddleware": 595,
}

ITEM_PIPELINES = {
    "archiver.pipelines.ValidatePipeline": 100,
    "archiver.pipelines.DuplicatePipeline": 200,
    "archiver.images.ImagesPipeline": 300,
    "archiver.pipelines.WritePostPipeline": 800,
}

EXTENSIONS = {
    "archiver.extensions.ArchiveState": 100,
    "archiver.extensions.RunSummary": 500,
    "archiver.blogconfig.BlogConfigCheck": 510,
    "archiver.progress.ProgressFile": 520,
    "archiver.extensions.QuietLogging": 530,
}
#: Scrapy's own extensions (its EXTENSIONS_BASE) but the two that listen on a port (off
#: below): not even imported (Scrapy imports every listed one to read its priority, None
#: or not; the remote control takes aiohttp, about 80 ms of every process's start, and a
#: cron run is mostly its start). Written out, not read from Scrapy: ``archiver status``
#: reads these settings without importing Scrapy. tests/unit/test_settings.py checks it
#: against Scrapy's own list.
EXTENSIONS_BASE = {
    "scrapy.extensions.corestats.CoreStats": 0,
    "scrapy.extensions.logcount.LogCount": 0,
    "scrapy.extensions.memusage.MemoryUsage": 0,
    "scrapy.extensions.memdebug.MemoryDebugger": 0,
    "scrapy.extensions.closespider.CloseSpider": 0,
    "scrapy.extensions.feedexport.FeedExporter": 0,
    "scrapy.extensions.logstats.LogStats": 0,
    "scrapy.extensions.spiderstate.SpiderState": 0,
    "scrapy.extensions.throttle.AutoThrottle": 0,
}

# No listening ports for an unattended cron job.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

#: Scrapy's check that a callback generator has no ``return value`` reads the callback's
#: source and parses it with ``ast`` on every response (its cache misses bound methods):
#: about 6 % of the crawl's CPU per article. A developer's warning, off.
WARN_ON_GENERATOR_RETURN_VALUE = False

LOG_LEVEL = "INFO"
LOG_FORMATTER = "archiver.logformatter.ArchiverLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
