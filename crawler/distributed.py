"""Crawling on several machines: scrapy-redis's shared request queue and duplicate filter in
Redis, made reliable, so that a worker killed mid-crawl loses no request.

scrapy-redis pops a request off the shared queue and forgets it: a worker killed with requests in
flight would lose them. Here a pop moves the request, in one Lua step, into the worker's own
`reports:inflight:<worker>` hash; the archive pipeline acknowledges (deletes) it only after the
capture or failure it led to is committed to the worker's shard. Each worker keeps a heartbeat
key alive; an idle worker gives the in-flight requests of a worker whose heartbeat has expired
back to the queue, and logs the URL of each. The heartbeat runs on a thread of its own, so a
worker whose reactor is busy (a long commit, a loaded machine) is not taken for dead. A worker
stops when the queue is empty, no live worker has anything in flight, and it has been idle for
XXGK_REDIS_IDLE_CLOSE seconds.

    xxgk seed  --redis redis://HOST:6379/0 --sites SITES.toml     (once, from anywhere)
    xxgk crawl --redis redis://HOST:6379/0 --sites SITES.toml --data SHARD   (on every machine)
    xxgk merge SHARD... --data DIR                                (when they are done)
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from urllib.parse import urlsplit

from redis import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.connection import get_redis_from_settings
from scrapy.utils.misc import load_object
from scrapy_redis.queue import PriorityQueue

logger = logging.getLogger(__name__)

QUEUE_KEY = "%(spider)s:requests"
HEARTBEAT_SECONDS = 1.0
HEARTBEAT_TTL = 5            # a worker silent this long is dead; its requests go back to the queue

# Pop the best request and park it in the worker's in-flight hash, in one step: a kill between
# the two can lose nothing. The field is the member's SHA-1; the value keeps its score.
_POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return nil end
redis.call('ZREM', KEYS[1], found[1])
local id = redis.sha1hex(found[1])
redis.call('HSET', KEYS[2], id, found[2] .. '\\n' .. found[1])
return {id, found[1]}
"""
# Give a dead worker's in-flight requests back to the queue; return them.
_REQUEUE = """
local entries = redis.call('HGETALL', KEYS[1])
local requeued = {}
for i = 2, #entries, 2 do
  local cut = string.find(entries[i], '\\n', 1, true)
  local member = string.sub(entries[i], cut + 1)
  redis.call('ZADD', KEYS[2], tonumber(string.sub(entries[i], 1, cut - 1)), member)
  requeued[#requeued + 1] = member
end
redis.call('DEL', KEYS[1])
return requeued
"""


def worker_name(settings) -> str:
    """This worker's name: XXGK_WORKER, or host and process id."""
    return settings.get("XXGK_WORKER") or f"{socket.gethostname()}-{os.getpid()}"


def keys(spider_name: str, worker: str = "") -> dict[str, str]:
    return {"queue": QUEUE_KEY % {"spider": spider_name}, "workers": f"{spider_name}:workers",
            "alive": f"{spider_name}:alive:{worker}", "inflight": f"{spider_name}:inflight:{worker}"}


class ReliableQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pops are parked in the worker's in-flight hash."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.worker = worker_name(spider.crawler.settings)
        self.inflight_key = keys(spider.name, self.worker)["inflight"]
        self._pop_script = server.register_script(_POP)

    def pop(self, timeout=0):
        found = self._pop_script(keys=[self.key, self.inflight_key])
        if not found:
            return None
        entry_id, data = found
        request = self._decode_request(data)
        request.meta["xxgk_inflight"] = [*request.meta.get("xxgk_inflight", []), [self.worker, _text(entry_id)]]
        return request


class Coordinator:
    """Heartbeat, acknowledgements, the return of dead workers' requests, and when to stop."""

    def __init__(self, crawler):
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("single-machine crawl")
        self.crawler = crawler
        self.server = get_redis_from_settings(settings)
        self.worker = worker_name(settings)
        self.idle_close = settings.getfloat("XXGK_REDIS_IDLE_CLOSE", 10.0)
        self.idle_since: float | None = None
        self.flushers: list = []             # what commits the shard (the pipeline), before an ack
        self._requeue = self.server.register_script(_REQUEUE)
        self._serializer = load_object(settings.get("SCHEDULER_SERIALIZER", "scrapy_redis.picklecompat"))
        self._stop_beating = threading.Event()
        self._beat = threading.Thread(target=self._beat_until_closed, name="xxgk-heartbeat", daemon=True)
        crawler.coordinator = self

    @classmethod
    def from_crawler(cls, crawler):
        coordinator = cls(crawler)
        crawler.signals.connect(coordinator.opened, signal=signals.spider_opened)
        crawler.signals.connect(coordinator.idle, signal=signals.spider_idle)
        crawler.signals.connect(coordinator.closed, signal=signals.spider_closed)
        crawler.signals.connect(coordinator.busy, signal=signals.request_scheduled)
        return coordinator

    def keys(self, worker: str | None = None) -> dict[str, str]:
        return keys(self.crawler.spider.name, worker or self.worker)

    def opened(self, spider):
        self.crawler.stats.set_value("xxgk/redis/worker", self.worker)
        self.server.sadd(self.keys()["workers"], self.worker)
        self.heartbeat()
        self._beat.start()
        logger.info("worker %s joined the crawl in Redis (%d requests queued)", self.worker,
                    self.server.zcard(self.keys()["queue"]))

    def heartbeat(self):
        self.server.set(self.keys()["alive"], str(time.time()), ex=HEARTBEAT_TTL)

    def _beat_until_closed(self):
        while not self._stop_beating.wait(HEARTBEAT_SECONDS):
            try:
                self.heartbeat()
            except Exception as err:            # Redis away for a moment: the next beat tries again
                logger.warning("heartbeat to Redis failed: %s", err)

    def busy(self, request=None, spider=None):
        self.idle_since = None

    def ack(self, metas: list[dict]) -> None:
        """Forget the requests behind these committed captures and failures."""
        pipe = self.server.pipeline()
        for meta in metas:
            for worker, entry_id in meta.get("xxgk_inflight", []):
                pipe.hdel(self.keys(worker)["inflight"], entry_id)
        pipe.execute()

    def reap(self) -> int:
        """Requests in flight at workers whose heartbeat stopped, back into the queue."""
        returned = 0
        for worker in self._others():
            if self.server.exists(self.keys(worker)["alive"]):
                continue
            requeued = self._requeue(keys=[self.keys(worker)["inflight"], self.keys()["queue"]])
            self.server.srem(self.keys()["workers"], worker)
            if requeued:
                logger.warning("worker %s stopped answering: %d of its requests are queued again", worker,
                               len(requeued))
                for member in requeued:
                    logger.info("queued again from worker %s: %s", worker, self._url(member))
                self.crawler.stats.inc_value("xxgk/redis/requeued", len(requeued))
            returned += len(requeued)
        return returned

    def _url(self, member: bytes) -> str:
        try:
            return self._serializer.loads(member)["url"]
        except Exception as err:                # a request this worker cannot decode is still requeued
            return f"(undecodable request: {err})"

    def idle(self, spider):
        for flush in self.flushers:
            flush()
        if self.reap():
            self.idle_since = None
            raise DontCloseSpider
        if self.server.zcard(self.keys()["queue"]) or self._others_in_flight():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if now - self.idle_since < self.idle_close:
            raise DontCloseSpider

    def _others_in_flight(self) -> bool:
        return any(self.server.hlen(self.keys(worker)["inflight"]) for worker in self._others())

    def _others(self) -> list[str]:
        """The other workers the shared crawl knows of."""
        names = (_text(name) for name in self.server.smembers(self.keys()["workers"]))
        return [name for name in names if name != self.worker]

    def closed(self, spider, reason):
        self._stop_beating.set()
        if self._beat.is_alive():
            self._beat.join()
        own = self.keys()
        left = self.server.hlen(own["inflight"])
        if left and reason != "finished":
            self._requeue(keys=[own["inflight"], own["queue"]])   # stopped early: others take them
            logger.warning("worker %s stopped (%s): %d requests in flight queued again", self.worker, reason, left)
        self.server.delete(own["inflight"], own["alive"])
        self.server.srem(own["workers"], self.worker)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisUnreachable(Exception):
    """The shared crawl's Redis does not answer (or its URL names none)."""


def check_redis(redis_url: str) -> None:
    """Ask the Redis at `redis_url` for a PING, with the connection a worker makes; raise
    RedisUnreachable saying why when it does not answer."""
    from scrapy.settings import Settings

    try:
        get_redis_from_settings(Settings(redis_settings(redis_url))).ping()
    except (RedisError, ValueError) as err:
        raise RedisUnreachable(f"cannot reach Redis at {_masked(redis_url)} ({err})") from None


def _masked(redis_url: str) -> str:
    """The URL with its password, if any, replaced by ***."""
    parts = urlsplit(redis_url)
    if not parts.password:
        return redis_url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def seed(redis_url: str, sites_file: str, *, years: str | None = None) -> dict:
    """Push the sites' start requests into the shared queue (each once: the shared duplicate
    filter drops a start URL seeded before); return how many were queued and skipped."""
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from scrapy_redis.scheduler import Scheduler

    from crawler.spiders.reports import ReportsSpider

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(redis_settings(redis_url, worker="seed"), priority="cmdline")
    crawler = Crawler(ReportsSpider, settings)
    spider = ReportsSpider(sites=str(sites_file), years=years)
    spider._set_crawler(crawler)
    crawler.spider = spider
    scheduler = Scheduler.from_settings(settings)
    scheduler.open(spider)
    queued = skipped = 0
    for request in spider.site_requests():
        if scheduler.enqueue_request(request):
            queued += 1
        else:
            skipped += 1
    return {"queued": queued, "already_seen": skipped, "in_queue": len(scheduler.queue)}


def redis_settings(redis_url: str, *, worker: str | None = None) -> dict:
    """The settings that turn a crawl into a worker of the shared crawl at `redis_url`."""
    settings = {
        "REDIS_URL": redis_url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.ReliableQueue",
        "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
        "SCHEDULER_PERSIST": True,           # the queue and the seen set outlive any one worker
        "SCHEDULER_SERIALIZER": "scrapy_redis.picklecompat",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "XXGK_EXTRACT_AFTER_CRAWL": False,   # `xxgk merge` extracts the merged archive
    }
    if worker:
        settings["XXGK_WORKER"] = worker
    return settings
