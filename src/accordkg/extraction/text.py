"""A string that remembers where each of its characters came from in the source file.

Every cleaning step (markup removal, whitespace normalisation, repairs) works on
`Text`, so any piece of the cleaned document can be traced back to a span of the file
exactly as ingested: that span is what evidence annotations point at.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Replacement = Callable[[re.Match[str]], "str | Text"]


@dataclass(frozen=True)
class Text:
    """Cleaned characters, each with its code-point offset in the raw source."""

    value: str
    offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.value) != len(self.offsets):
            raise ValueError("a Text needs one offset per character")

    @classmethod
    def of_raw(cls, raw: str, start: int, end: int) -> "Text":
        """The raw characters `raw[start:end]`, unchanged."""
        return cls(raw[start:end], tuple(range(start, end)))

    @classmethod
    def join(cls, parts: list["Text"], separator: str = " ") -> "Text":
        """Concatenate `parts`; each separator takes the offset just after the part before."""
        value: list[str] = []
        offsets: list[int] = []
        for index, part in enumerate(parts):
            if index and separator and offsets:
                value.append(separator)
                offsets.extend([offsets[-1] + 1] * len(separator))
            value.append(part.value)
            offsets.extend(part.offsets)
        return cls("".join(value), tuple(offsets))

    def __len__(self) -> int:
        return len(self.value)

    def __str__(self) -> str:
        return self.value

    def __getitem__(self, key: slice) -> "Text":
        return Text(self.value[key], self.offsets[key])

    @property
    def span(self) -> tuple[int, int]:
        """(start, end) in the raw source, end exclusive, covering every character."""
        if not self.offsets:
            raise ValueError("an empty Text has no span")
        return min(self.offsets), max(self.offsets) + 1

    def strip(self, chars: str | None = None) -> "Text":
        stripped_left = len(self.value) - len(self.value.lstrip(chars))
        end = len(self.value.rstrip(chars))
        return self[stripped_left:end] if end > stripped_left else self[0:0]

    def collapse_whitespace(self) -> "Text":
        """Runs of whitespace become one space, at the offset of the run's first character."""
        return self.substitute(re.compile(r"\s{2,}|[\t\n\r\f\v]"), lambda _: " ")

    def substitute(self, pattern: re.Pattern[str], replacement: Replacement) -> "Text":
        """Like `re.sub`, keeping offsets: kept characters keep theirs, inserted ones take
        the offset of the start of the match they replace."""
        if pattern.search(self.value) is None:
            return self  # nothing to replace: most lines of most documents
        value: list[str] = []
        offsets: list[int] = []
        position = 0
        for match in pattern.finditer(self.value):
            value.append(self.value[position : match.start()])
            offsets.extend(self.offsets[position : match.start()])
            kept = replacement(match)
            if isinstance(kept, Text):
                value.append(kept.value)
                offsets.extend(kept.offsets)
            else:
                value.append(kept)
                offsets.extend([self.offsets[match.start()]] * len(kept))
            position = match.end()
        value.append(self.value[position:])
        offsets.extend(self.offsets[position:])
        return Text("".join(value), tuple(offsets))

    def group(self, match: re.Match[str], name: str | int = 0) -> "Text":
        """The part of this text that a match on `self.value` captured."""
        return self[match.start(name) : match.end(name)]

    def lines(self) -> Iterator["Text"]:
        """The text split at newlines, without them."""
        start = 0
        for index, char in enumerate(self.value):
            if char == "\n":
                yield self[start:index]
                start = index + 1
        yield self[start:]
