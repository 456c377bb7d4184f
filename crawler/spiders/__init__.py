"""Spiders: one small base spider per CMS dialect, and the `reports` spider that uses them."""
