"""HTTP content negotiation: pick the best of the media types we offer for an Accept header.

Follows RFC 9110: q-values (q=0 refuses), `type/*` and `*/*` wildcards, parameters such
as `charset` ignored for matching; among equal q, the more specific range wins, then our
own order of preference (the first offer is the default). Asked for `stated` types only,
`*/*` counts for nothing: what a client names, not what it would put up with.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    quality: float

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped."""
    ranges = []
    for entry in header.split(","):
        media, *parameters = (part.strip() for part in entry.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(main, sub, quality))
    return ranges


def negotiate(accept: str | None, offers: list[str], *, stated: bool = False) -> str | None:
    """The offer the client prefers most, or None if it accepts none of them; with
    `stated`, None also when only `*/*` (or no Accept at all) would admit one."""
    if not accept or not accept.strip():
        return None if stated else offers[0]
    ranges = parse_accept(accept)
    if stated:
        ranges = [r for r in ranges if r.specificity > 0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        most_specific = max(matching, key=lambda r: r.specificity)
        if most_specific.quality <= 0:
            continue
        score = (most_specific.quality, most_specific.specificity, -rank)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen
