"""The modality of the verb that governs an operative provision: obligation,
undertaking, endeavour, intention, recommendation or permission."""

import re
from bisect import bisect_right

from accordkg.extraction.legal_force import status_readings
from accordkg.extraction.lexicon import (
    MODAL_VERBS,
    PROVISION_MARKER,
)
from accordkg.extraction.reading import Reading

# The modality lexicon: (modality, phrase, homograph), read in this order. At one place in
# the text the first row that matches wins, so "will endeavour" is read before "will". A
# homograph is a word that is also a noun or an adjective ("an action plan", "political
# will", "the invited experts"): "noun" rows are not read after a determiner, possessive,
# preposition or modifying adjective; "will" rows likewise, but are read after a pronoun
# such as "this" or "each" ("this will require", "each will bear"). "active" rows are not
# read in the passive ("is intended to", "is expected to"). The month "May" is never a
# verb; "MAY" in capitals is read unless it stands by a number or after a preposition
# ("5 MAY 2024").
# "will endeavour", "shall, where appropriate, seek", "will continue to work towards"
_WILL_OR_SHALL = (
    r"(?:will|shall)(?:\s*,[^,;.]{1,60},)?\s+"
    r"(?:(?:also|further|jointly|actively|collectively|together|continue\s+to)\s+)*"
)
_ENDEAVOUR_VERB = (
    r"(?:endeavou?r|seek|strive|try\s+to|aim\s+(?:to|at)|"
    r"work\s+(?:together\s+|jointly\s+|closely\s+)?towards?|"
    r"make\s+(?:every|all\s+reasonable|best)\s+efforts?|"
    r"use\s+(?:their|its|our)\s+best\s+(?:endeavou?rs|efforts))"
)
_DO_NOT = r"(?:(?:do|does|did)\s+not\s+)?"
MODAL_LEXICON: tuple[tuple[str, str, str | None], ...] = (
    # endeavour: "will endeavour" and "shall seek to" are endeavours, not undertakings
    ("endeavour", _WILL_OR_SHALL + _ENDEAVOUR_VERB, None),
    ("endeavour", r"endeavou?r(?:s|ed)?(?:\s+to)?", "noun"),
    ("endeavour", r"(?:seeks?(?:\s+to)?|sought\s+to)(?!-)", None),
    ("endeavour", r"(?:are|is|am)\s+(?:actively\s+)?(?:seeking|striving|working\s+towards?)", None),
    ("endeavour", r"(?:striv(?:e|es|ed)|strove)(?:\s+to)?", None),
    ("endeavour", r"tr(?:y|ies|ied)\s+to", None),
    ("endeavour", r"aim(?:s|ed)?\s+(?:to|at)", "noun"),
    ("endeavour", r"work(?:s|ed)?\s+(?:together\s+|jointly\s+|closely\s+)?towards?", "noun"),
    ("endeavour", r"us(?:e|es)\s+(?:(?:their|its|our)\s+)?best\s+(?:endeavou?rs|efforts)", None),
    ("endeavour", r"mak(?:e|es)\s+(?:every|all\s+reasonable|best)\s+efforts?", None),
    # obligation: a prohibition is an obligation ("shall not", "must not", "may not")
    ("obligation", r"shall(?:\s+not)?", None),
    ("obligation", r"must(?:\s+not)?", None),
    (
        "obligation",
        r"(?:are|is|am|be|were|was)\s+(?:\w+ly\s+)?(?:obliged|obligated|required)\s+to",
        None,
    ),
    ("obligation", r"(?-i:may|MAY)\s+not", None),
    # undertaking
    ("undertaking", r"will(?:\s+not)?", "will"),
    (
        "undertaking",
        r"(?:are|is|am|remain(?:s|ed)?|were|was|stand|stands|ha(?:ve|s)\s+been)\s+"
        r"(?:(?:fully|firmly|strongly|deeply|jointly|also|further)\s+)*(?:committed|resolved)\s+to",
        None,
    ),
    ("undertaking", r"commit(?:s|ted)?\s+(?:(?:ourselves|themselves|itself)\s+)?to", None),
    ("undertaking", r"undert(?:ake|akes|ook|aken)\s+to", None),
    ("undertaking", r"agree(?:s|d)?\s+to", None),
    ("undertaking", r"resolv(?:e|es|ed)\s+to", "noun"),
    ("undertaking", r"pledg(?:e|es|ed)\s+to", "noun"),
    ("undertaking", r"decid(?:e|es|ed)\s+to", None),
    ("undertaking", r"decid(?:e|es|ed)\s+that", None),  # "decided that the meeting will be held"
    # intention
    ("intention", _DO_NOT + r"intend(?:s|ed)?(?:\s+to)?", "active"),
    ("intention", _DO_NOT + r"plan(?:s|ned)?\s+to", "noun"),
    ("intention", r"(?:are|is|am)\s+planning\s+to", None),
    ("intention", _DO_NOT + r"expect(?:s|ed)?\s+to", "active"),
    (
        "intention",
        r"(?:declar|express|confirm|shar)(?:e|es|ed)\s+(?:our|their|its|the)\s+"
        r"(?:(?:joint|common|shared|mutual|firm)\s+)?intentions?\s+to",
        None,
    ),
    (
        "intention",
        r"it\s+is\s+(?:the|our|their)\s+(?:[\w-]+['\u2019]s?\s+)?"
        r"(?:(?:joint|common|shared|mutual|firm)\s+)?intention",
        None,
    ),
    # recommendation
    ("recommendation", r"should(?:\s+not)?", None),
    ("recommendation", r"encourag(?:e|es|ed)(?!\s+(?:by|that)\b)", "noun"),
    ("recommendation", r"recommend(?:s|ed)?", "noun"),
    ("recommendation", r"call(?:s|ed)?\s+(?:up)?on", "noun"),
    (
        "recommendation",
        r"call(?:s|ed)?\s+for(?!\s+(?:proposals|applications|tenders|papers|expressions|projects))",
        "noun",
    ),
    ("recommendation", r"invit(?:e|es|ed)", "noun"),
    ("recommendation", r"urg(?:e|es|ed)", "noun"),
    # permission
    ("permission", r"(?-i:may|MAY)", None),
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words around a modal that show it does not govern the provision.
NOUN_MARKERS = _words(
    "a an the our their its his her my your no of with in for by on at from into under "
    "through good political free strong shared common collective mutual joint sovereign "
    "public general action work strategic national overall main primary key ultimate "
    "principal long-term implementation new same stated clear firm broad"
)
DEMONSTRATIVES = _words("this that these those every any such each")
BE_FORMS = _words("is are am be been being was were")
# Introduce a clause that the main clause does not depend on: every modal after them, up
# to the next comma or stop, is not the governing one.
CONJUNCTIONS = _words(
    "if where when whenever wherever while whilst although though unless because whereas "
    "whether insofar provided providing lest"
)
# "where appropriate", "if necessary": a conjunction without a clause of its own.
VERBLESS_AFTER_CONJUNCTION = _words(
    "appropriate necessary possible feasible needed required practicable applicable "
    "relevant agreed requested"
)
RELATIVES = _words("which who whom whose")
# "that" after these opens a content clause ("recognising that Parties should"), not a
# relative one; after "and"/"or" it is a second content clause.
THAT_CLAUSE_HEADS = re.compile(
    r"(?:recogni[sz]|acknowledg|not(?:e|ed|es|ing)$|agree|affirm|reaffirm|determin|believ|"
    r"consider|stress|emphasi[sz]|"
    r"underlin|underscor|understand|understood|decid|confirm|declar|stat(?:e|ed|es|ing)$|hop|trust|"
    r"ensur|recall|welcom|expect|convinc|aware|mindful|concern|confident|clear|important|"
    r"essential|necessar|vital|crucial|provid|given|so$|such$|now$|order$|except|fact$|view$|"
    r"and$|or$|nor$)",
    re.IGNORECASE,
)
PRONOUNS_AND_DETERMINERS = _words(
    "a an the this that these those it its they their them we our us he she his her each "
    "every any all some no such both either neither one"
)
CLAUSE_BOUNDARIES = frozenset(",;:()[]\u2014\u2013-.!?")
SENTENCE_BOUNDARIES = frozenset(".!?;:")
MONTH_PREPOSITIONS = _words("in of since until by from during early late mid")

_MODAL = re.compile(
    r"\b(?=[a-z])(?:"
    + "|".join(rf"(?P<r{i}>{phrase})" for i, (_, phrase, _) in enumerate(MODAL_LEXICON))
    + r")\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W\d_][\w'\u2019-]*|\d+|[^\w\s]")
_QUOTED = re.compile(r'"[^"]*"|\u201c[^\u201d]*\u201d')


def modality(text: str) -> Reading | None:
    """The modality of the verb that governs an operative provision (or lead-in), or None.

    The first modal phrase that governs decides; phrases inside a statement of legal
    status, quotations, subordinate or relative clauses, and nouns that look like verbs do
    not."""
    candidates = list(_MODAL.finditer(text))
    if not candidates:
        return None
    excluded = [(r.start, r.end) for r in status_readings(text)]
    excluded += [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    token_starts = [start for start, _ in tokens]
    marker = PROVISION_MARKER.match(text)
    body_start = marker.end() if marker else 0
    candidate_starts = [m.start() for m in candidates]
    for match in candidates:
        if any(start <= match.start() < end for start, end in excluded):
            continue
        index = bisect_right(token_starts, match.start()) - 1
        row = match.lastindex
        assert row is not None  # every alternative is a numbered group
        value, _, homograph = MODAL_LEXICON[row - 1]
        if _governs(
            match,
            homograph=homograph,
            tokens=tokens,
            index=index,
            body_start=body_start,
            candidate_starts=candidate_starts,
        ):
            return Reading(value, match.start(), match.end())
    return None


def _governs(
    match: re.Match[str],
    *,
    homograph: str | None,
    tokens: list[tuple[int, str]],
    index: int,
    body_start: int,
    candidate_starts: list[int],
) -> bool:
    """Whether the modal phrase at tokens[index] is the verb of the main clause."""
    previous = tokens[index - 1][1] if index > 0 else ""
    before = previous.lower()
    following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
    word = match.group().split()[0]
    if before in ("to", "as"):  # "in order to encourage", "as may be agreed"
        return False
    if word == "MAY" and (
        previous.isdigit() or following.isdigit() or before in MONTH_PREPOSITIONS
    ):
        return False
    if homograph in ("noun", "will") and (
        before in NOUN_MARKERS
        or previous.endswith(("'s", "\u2019s", "'", "\u2019"))
        or (homograph == "noun" and before in DEMONSTRATIVES)
        or (homograph == "will" and following.lower() == "of")
    ):
        return False
    if homograph == "active" and before in BE_FORMS:
        return False
    sentence_initial = (
        index == 0 or tokens[index - 1][0] < body_start or previous in SENTENCE_BOUNDARIES
    )
    if sentence_initial and word.lower() in MODAL_VERBS:  # "Should a Party wish to ..."
        return False
    return not _in_subordinate_clause(tokens, index, match.start(), candidate_starts)


def _in_subordinate_clause(
    tokens: list[tuple[int, str]], index: int, start: int, candidate_starts: list[int]
) -> bool:
    """Whether a conjunction, a content "that" or an open relative pronoun earlier in the
    same clause (back to the last comma or stop) governs the modal at tokens[index]."""
    first = index
    while first > 0 and tokens[first - 1][1] not in CLAUSE_BOUNDARIES:
        first -= 1
    for position in range(first, index):
        word = tokens[position][1].lower()
        following = tokens[position + 1][1] if position + 1 < len(tokens) else ""
        if word in CONJUNCTIONS or (word == "as" and position == first):  # "as the case may be"
            if following.lower() not in VERBLESS_AFTER_CONJUNCTION:
                return True
        elif word == "that" and position > 0 and THAT_CLAUSE_HEADS.match(tokens[position - 1][1]):
            return True
        elif word in RELATIVES or word == "that":
            # Open until the relative clause has its own verb: "that wishes to withdraw
            # should" is closed by "wishes"; "which may be funded shall" by "may". Before
            # a name, "that" points ("that Party shall"), it does not subordinate.
            if _relative_clause_verb(following) and tokens[position + 1][0] != start:
                continue
            if word == "that" and following[:1].isupper():
                continue
            pronoun_start = tokens[position][0]
            if not any(pronoun_start < s < start for s in candidate_starts):
                return True
    return False


def _relative_clause_verb(word: str) -> bool:
    """Whether the word after a relative pronoun is its clause's own verb rather than the
    start of a subject ("that the Parties may ...")."""
    return bool(word) and word[0].islower() and word.lower() not in PRONOUNS_AND_DETERMINERS
