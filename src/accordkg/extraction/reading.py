"""What the rules that read how strongly an instrument binds return: `legal_force` reads
the instrument's own statement of its legal status, `modality` the verb that governs a
provision.

Both read one paragraph or clause and return the words that decide, so that the caller can
quote them as evidence. Where the words do not clearly say, they return None: a wrong
reading is worse than none.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    """What a rule read, and the words in the text that say so."""

    value: str  # for legal_status: "binding" | "nonBinding"; for modality: a modality
    start: int  # span of the deciding words in the text passed in (end exclusive)
    end: int
