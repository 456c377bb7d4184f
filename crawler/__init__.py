"""Crawling: a Scrapy project whose spiders find annual reports on agency sites and archive
every response with its provenance (issue 3 fills it; settings.py holds its polite defaults)."""
