"""The extractor's regular expressions, each compiled when first used. Python 3.11's `re` compiles
a class of CJK characters ([\\u4e00-\\u9fff]) in Python, 0.7 ms each time one is written; compiling
all ~400 patterns took 0.1 s of every start, and one report uses fewer than half of them."""

from __future__ import annotations

import re

_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
               "flags", "groups", "groupindex")


class Pattern:
    """re.compile(pattern, flags) on the first use; from then on its methods are the compiled
    pattern's own, so a call costs what it costs on a re.Pattern."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str):       # called only while the attribute is not set: the first use
        if name.startswith("_"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


compile = Pattern          # lazy_re.compile(r"…") reads as re.compile does
