"""Words of the genre that more than one stage reads a text by: cleaning splits a
hard-wrapped block before a recital, and the segmenter reads the recital."""

# Adjectives and past participles that open preamble recitals ("Mindful of …", "Committed
# to …"), besides present participles ("Recognizing …") and "WHEREAS".
RECITAL_WORDS = frozenset(
    {"aware", "cognisant", "cognizant", "committed", "concerned", "conscious", "convinced",
     "desirous", "determined", "eager", "encouraged", "further", "guided", "inspired",
     "mindful", "resolved", "whereas"}
)  # fmt: skip
# Words ending in "-ing" that are not participles, at the start of a line or a paragraph.
NOT_PARTICIPLES = frozenset(
    {"during", "nothing", "something", "anything", "everything", "morning", "evening",
     "thing", "bring", "string", "spring", "notwithstanding"}
    | {"beijing", "nanjing", "kunming", "wyoming"}
)  # fmt: skip


def opens_recital(word: str) -> bool:
    """Whether a capitalised word can open a preamble recital: a participle ("Noting",
    "RECOGNIZING", "Being") or one of the recital words."""
    if not (word.istitle() or word.isupper()) or not word.isalpha():
        return False
    folded = word.casefold()
    participle = len(folded) > 4 and folded.endswith("ing") and folded not in NOT_PARTICIPLES
    return participle or folded in RECITAL_WORDS


def in_capitals(value: str) -> bool:
    """Whether a line is written in capitals (two letters or more, all upper case)."""
    letters = [c for c in value if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


# First parts of compounds that a line break may split ("long-" "term", "large-" "scale"):
# the hyphen stays, since joining them would make a word that is none.
COMPOUND_HEADS = frozenset(
    {"long", "short", "high", "low", "large", "small", "full", "part", "multi", "well",
     "open", "data", "peer", "world", "mid", "middle", "early", "cutting", "state", "best"}
)  # fmt: skip
