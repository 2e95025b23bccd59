"""One worker of a shared crawl makes the start requests (archiver/workers/seeding.py), on a
real ``redis-server``: the others wait for them without making their own, and a seeder
that dies before it is done is replaced by exactly one of them."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys

import pytest
import redis
from scrapy import Spider
from scrapy.utils.test import get_crawler

from archiver.workers.seeding import SeedOnce
from archiver.workers.shared import Keys
from tests.support.redisserver import RedisServer

pytestmark = pytest.mark.e2e

START = [f"https://www.jiemian.com/lists/{n}.html" for n in (2, 65, 800)]


class Jiemian(Spider):
    name = "jiemian"


@pytest.fixture
def redis_url():
    with RedisServer() as server:
        yield server.url


def worker(url: str, name: str) -> SeedOnce:
    crawler = get_crawler(Jiemian, {"ARCHIVER_REDIS_URL": url, "ARCHIVER_WORKER_ID": name})
    return SeedOnce.from_crawler(crawler)


def register(client, keys: Keys, name: str, pid: int, alive: bool = True) -> None:
    """A worker as the scheduler registers it: host and pid, and its heartbeat."""
    client.hset(keys.workers, name, json.dumps({"host": socket.gethostname(), "pid": pid}))
    if alive:
        client.set(keys.alive(name), b"1", px=10_000)


async def spider_start():
    for url in START:
        yield url


async def made(seed: SeedOnce) -> list[str]:
    """What the worker's start yields (a worker that waits for ever fails the test)."""

    async def start() -> list[str]:
        return [entry async for entry in seed.process_start(spider_start())]

    return await asyncio.wait_for(start(), 10)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_first_worker_makes_the_start_and_the_other_waits_for_it(redis_url):
    client = redis.Redis.from_url(redis_url)
    keys = Keys("archiver", "jiemian")
    first, second = worker(redis_url, "host-1"), worker(redis_url, "host-2")
    register(client, keys, "host-1", 1)
    register(client, keys, "host-2", 1)

    async def both():
        made_first = await made(first)
        return made_first, await made(second)

    made_first, made_second = asyncio.run(both())
    assert made_first == START
    assert made_second == []  # no start requests of its own: they are in the shared queue
    assert client.get(keys.seeder) == b"host-1" and client.exists(keys.seeded)


def test_a_waiting_worker_stays_until_the_seeder_is_done(redis_url):
    client = redis.Redis.from_url(redis_url)
    keys = Keys("archiver", "jiemian")
    register(client, keys, "host-1", os.getpid())  # alive: this very process
    client.set(keys.seeder, "host-1")
    waiting = worker(redis_url, "host-2")

    async def scene():
        task = asyncio.ensure_future(made(waiting))
        await asyncio.sleep(0.6)
        still_waiting = not task.done()
        client.set(keys.seeded, b"1")  # the seeder is done
        return still_waiting, await asyncio.wait_for(task, 5)

    still_waiting, made_by_waiting = asyncio.run(scene())
    assert still_waiting  # a worker with nothing queued yet does not stop while the start is made
    assert made_by_waiting == []


def test_a_seeder_that_died_is_replaced_by_exactly_one_worker(redis_url, caplog):
    client = redis.Redis.from_url(redis_url)
    keys = Keys("archiver", "jiemian")
    register(client, keys, "host-1", dead_pid(), alive=True)  # its process is gone on this host
    client.set(keys.seeder, "host-1")
    second, third = worker(redis_url, "host-2"), worker(redis_url, "host-3")

    async def both():
        return await asyncio.gather(made(second), made(third))

    with caplog.at_level(logging.WARNING, logger="archiver.workers.seeding"):
        made_second, made_third = asyncio.run(both())
    assert sorted([made_second, made_third]) == [[], START]  # one of them made it all, once
    assert client.get(keys.seeder) in (b"host-2", b"host-3") and client.exists(keys.seeded)
    assert "Worker host-1 stopped before it had made the start requests" in caplog.text
