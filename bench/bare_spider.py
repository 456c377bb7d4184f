"""The baseline for the crawl benchmark: a bare Scrapy spider that fetches the same pages of the
generated site (the column, its listing pages, their report pages) and keeps nothing."""

import re
from urllib.parse import urljoin

import scrapy

from bench.bigsite import HOST

_COUNT = re.compile(r"countPage = (\d+)")
_FIRST = re.compile(r"createPageHTML\(countPage, 0,")


class BareSpider(scrapy.Spider):
    name = "bare"
    start_urls = [f"http://{HOST}/"]

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.parse_listing if href.endswith("/") else self.parse_report)

    def parse_listing(self, response):
        count = _COUNT.search(response.text)
        if count and _FIRST.search(response.text):
            for n in range(int(count.group(1))):
                yield scrapy.Request(urljoin(response.url, "index.html" if n == 0 else f"index_{n}.html"),
                                     self.parse_listing)
        for href in response.css("li a::attr(href)").getall():
            yield response.follow(href, self.parse_report)

    def parse_report(self, response):
        return None
