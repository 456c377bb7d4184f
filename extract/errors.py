"""The one error type extraction raises for a document it cannot read."""


class ExtractError(Exception):
    """A document could not be turned into a record; `reason` says why in plain words, and
    `needs` names the optional program (extract/formats/engines.py) whose absence is the cause."""

    def __init__(self, reason: str, *, source: str | None = None, needs: str | None = None):
        self.reason = reason
        self.source = source
        self.needs = needs
        super().__init__(f"{source}: {reason}" if source else reason)
