"""The instrument's own statement of its legal status: binding or not, in its words."""

import re

from accordkg.extraction.lexicon import (
    INSTRUMENT_NOUN,
)
from accordkg.extraction.reading import Reading

# The statement of legal status. The instrument must be the subject ("This Memorandum",
# "the present Agreement", "it"; "Nothing in this Memorandum"; "The Participants do not
# intend this MoU to be ..."), never an object ("obligations under this Agreement"), and the
# predicate must say what the instrument is or creates: "is not legally binding", "does not
# give rise to legal obligations", "is a statement of political intent". What the span
# quotes is the predicate (or the whole "Nothing in ..." clause).
# "This Memorandum of Understanding on Research Cooperation (the "MoU")": capitalised words
# and the small words of a title, case-sensitively.
_NAME_TAIL = (
    r"(?:\s+(?:of|on|in|for|between|among|and|the|(?-i:[A-Z][\w'\u2019.&-]*)|\([^()]{0,80}\)))"
    r"{0,14}"
)
_INSTRUMENT = (
    r"(?:this|the\s+present)\s+(?:(?-i:[A-Z][\w'\u2019-]*)\s+){0,4}"
    rf"{INSTRUMENT_NOUN}\b{_NAME_TAIL}"
)
_POSITIVE_SUBJECT = rf"\b(?:the\s+(?:provisions|terms|text)\s+of\s+)?{_INSTRUMENT}"
_SUBJECT = rf"(?:{_POSITIVE_SUBJECT}|\b(?:it|this)\b)"
_PARTIES = (
    r"\b(?:we|(?:the\s+)?(?:Participants|Parties|Signatories|Sides|Governments|undersigned|"
    r"Leaders|Ministers))\s+"
)
# Between the subject and its predicate: nothing, a parenthesis in commas, or a first
# predicate and "and"/"but" ("This Declaration reflects political intent and is not ...").
_LINK = r"(?:\s+|\s*,[^,.;]{1,120},\s*|\s+[^.;:]{0,120}?\s(?:and|but)\s+)"
_ADVERBS = (
    r"(?:(?:(?!legally\b|politically\b)\w+ly|also|further|therefore|thus|hereby|itself|"
    r"in\s+itself|per\s+se|as\s+such)\s+)*"
)
_UNDER_LAW = r"(?:\s+(?:under|in)\s+international\s+(?:or\s+(?:domestic|national)\s+)?law)?"
# "shall not be binding on third States" is about others, not about the instrument.
_NOT_ON_OTHERS = (
    r"(?!\s+(?:on|upon|for|to|in\s+respect\s+of)\s+(?:any\s+)?"
    r"(?:third|non-?part|other\s+(?:states|parties|participants)))"
)
# "binding" as a predicate, not before a noun ("binding arbitration").
_PREDICATIVE = (
    r"(?!\s+(?!(?:on|upon|for|between|among|in|under|and|or|as|with|from|once|when|after|to|"
    r"only|unless|until|except|at|by|if|nor|but)\b)[a-z])"
)
_STATUS = (
    rf"(?:(?:legally\s+)?binding\b(?!-){_UNDER_LAW}{_NOT_ON_OTHERS}{_PREDICATIVE}"
    r"|(?:legally\s+)?enforceable\b(?:\s+(?:under|in)\s+(?:international|domestic|national|any)"
    r"\s+(?:law|courts?))?"
    r"|(?:a|an)\s+(?:treaty|international\s+agreement|legally\s+binding\s+(?:international\s+)?"
    r"(?:instrument|agreement|treaty|document|arrangement))\b(?!-)"
    r"(?:\s+(?:governed\s+by|under)\s+international\s+law)?"
    r"|(?:a|an)\s+agreement\s+(?:governed\s+by|under)\s+international\s+law)"
)
_DUTY = r"(?:rights|obligations?|commitments?|duties)"
_LEGAL_OBJECT = (
    r"(?:(?:any|new|additional|such)\s+)*"
    r"(?:(?:legally\s+binding|legal|binding)\s+"
    r"(?:rights|obligations?|commitments?|duties|relations(?:hips?)?|effects?|force)"
    rf"(?:\s+(?:or|and)\s+(?:(?:legally\s+binding|legal|binding)\s+)?{_DUTY})?"
    rf"|{_DUTY}(?:\s+(?:or|and)\s+{_DUTY})?(?=\s+(?:under|in)\s+international)"
    r"|(?:a|an)\s+(?:treaty|international\s+agreement|"
    r"legally\s+binding\s+(?:instrument|agreement))\b)" + _UNDER_LAW + r"\b" + _NOT_ON_OTHERS
)
_CREATE = (
    r"(?:creat(?:e|es|ing)|giv(?:e|es|ing)\s+rise\s+to|impos(?:e|es|ing)|establish(?:es|ing)?|"
    r"confer(?:s|ring)?|entail(?:s|ing)?|generat(?:e|es|ing)|produc(?:e|es|ing)|"
    r"constitut(?:e|es|ing)|ha(?:ve|s|ving)|carr(?:y|ies|ying))"
)
_AUX = r"(?:is|are|shall|will|does|do|should|must)"  # not "may": "may not be" is a guess
_INTENDED_TO = (
    r"(?:(?:be\s+)?(?:intended|designed|meant)\s+to"
    r"(?:\s*,\s*and\s+(?:does|do|shall|will)\s+not\s*,)?\s+)?"
)
_DEEMED = (
    r"(?:(?:be\s+)?(?:deemed|considered|construed|interpreted|regarded|treated|understood)\s+"
    r"(?:to\s+be\s+|as\s+(?:being\s+)?|to\s+)?)?"
)
_DENIED = (
    rf"(?:(?:be|become|constitute|represent|being|constituting)\s+{_ADVERBS}{_STATUS}"
    rf"|{_CREATE}\s+{_LEGAL_OBJECT}|{_STATUS}|legally\s+bind\b)"
)
_NON_BINDING_NOUN = (
    r"(?:\s+(?:instrument|document|arrangement|statement|declaration|memorandum|framework|"
    r"agreement|understanding|record|expression|text))?"
)
_INTEND_IT_TO = r"intend\s+(?:(?:this|the\s+present|it)\b(?:\s+[\w'\u2019-]+){0,6}?\s+to\s+|to\s+)"
_COPULA = r"(?:is|are|shall\s+be|will\s+be|becomes?|shall\s+become|remains?|shall\s+remain)"

# The predicates, each quoted as the deciding words.
# "is not, and is not intended to be, legally binding"
_SECOND_THOUGHT = r"(?:\s*,\s*(?:and|nor|or)\s+[^,.;]{1,60},)?"
_IS_NOT = rf"{_AUX}\s+not{_SECOND_THOUGHT}\s+{_ADVERBS}{_INTENDED_TO}{_DEEMED}{_DENIED}"
_CREATES_NO = rf"(?:(?:shall|will|does|do)\s+)?{_ADVERBS}{_CREATE}\s+no\s+{_LEGAL_OBJECT}"
_WITHOUT_EFFECT = (
    r"(?:(?:is|are|shall\s+be|will\s+be|remains?)\s+)?without\s+(?:any\s+)?"
    r"(?:legal|binding)\s+(?:effect|force)"
)
_POLITICAL_ONLY = (
    rf"(?:is|are|shall\s+be|will\s+be|remains?|constitutes|represents)\s+{_ADVERBS}"
    r"(?:(?:only|solely|merely|purely|simply)\s+)?"
    rf"(?:(?:(?:a|an)\s+(?:[\w-]+,?\s+){{0,2}}?)?non-?binding\b{_NON_BINDING_NOUN}"
    r"|politically(?:\s*,?\s*(?:but|and)?\s+not\s+legally\s*,?)?\s+binding\b"
    r"(?!\s+and\s+legally)(?:\s+only)?"
    r"|(?:a|an)\s+(?:(?:joint|shared|common|mutual)\s+)?(?:statement|expression|declaration|record)"
    r"\s+of\s+(?:(?:the|their|our|its|shared|common|mutual|joint)\s+)*(?:[\w'\u2019-]+\s+)?"
    r"(?:political|policy)\s+(?:intent(?:ions?)?|will|commitments?))"
)
_NON_BINDING_INSTRUMENT = (
    rf"\b(?:this|the\s+present)\s+(?P<say>non-?binding)\s+"
    rf"(?:(?-i:[A-Z][\w'\u2019-]*)\s+){{0,4}}{INSTRUMENT_NOUN}\b"
)
_NOTHING_IN_IT = (
    rf"\b(?:nothing\s+(?:contained\s+)?in|no\s+provision\s+of)\s+{_INSTRUMENT}\s+"
    r"(?:(?:is|shall\s+be|will\s+be|shall|will|does|is\s+to\s+be|may\s+be)\s+)?"
    r"(?:(?:intended|construed|interpreted|deemed|meant|understood)\s+(?:to|as)\s+"
    r"(?:be(?:ing)?\s+)?)?"
    rf"{_ADVERBS}(?:{_CREATE}\s+{_LEGAL_OBJECT}|{_STATUS})"
)
_DO_NOT_INTEND_IT = (
    rf"(?:do|does|did)\s+not\s+{_INTEND_IT_TO}"
    rf"(?:be\s+{_ADVERBS}{_STATUS}|{_CREATE}\s+{_LEGAL_OBJECT})"
)
_NEITHER_IT_NOR = (
    rf"\bneither\s+{_INSTRUMENT}\s+nor\s+[^.;:]{{1,80}}?\s(?:is|are|shall\s+be|will\s+be)\s+"
    rf"{_ADVERBS}{_STATUS}"
)
_NOT_INTENDED_THAT_IT = (
    rf"\bit\s+is\s+not\s+intended\s+that\s+{_INSTRUMENT}\s+(?:(?:should|shall|will)\s+)?"
    rf"(?:be\s+{_ADVERBS}{_STATUS}|{_CREATE}\s+{_LEGAL_OBJECT})"
)
_INTEND_IT_NON_BINDING = rf"{_INTEND_IT_TO}be\s+(?:non-?binding|politically\s+binding)\b"
_IS_BINDING = (
    rf"{_COPULA}\s+{_ADVERBS}(?:(?:politically\s+and\s+)?legally\s+)?binding\b(?!-){_UNDER_LAW}"
    + _PREDICATIVE
)
_IS_A_TREATY = (
    r"(?:is|constitutes|shall\s+constitute|forms?)\s+(?:a|an)\s+"
    r"(?:legally\s+binding\s+(?:international\s+)?"
    r"(?:agreement|instrument|treaty|document|arrangement)"
    r"|treaty|international\s+agreement)\b(?:\s+(?:governed\s+by|under)\s+international\s+law)?"
)
_HAS_FORCE = (
    r"(?:(?:shall|will)\s+)?(?:have|has)\s+"
    r"(?:(?:binding|legal)\s+(?:force|effect)|the\s+force\s+of\s+law)"
)
_CREATES = (
    r"(?:(?:shall|will)\s+(?:create|give\s+rise\s+to|impose)|creates|gives\s+rise\s+to|imposes)"
    rf"\s+{_LEGAL_OBJECT}"
)
_INTEND_IT_BINDING = rf"{_INTEND_IT_TO}be\s+(?:legally\s+)?binding\b(?!-){_UNDER_LAW}"
# An exchange of notes: "this Note and Your Excellency's Note in reply shall constitute an
# agreement between the two Governments", the formula that makes the notes a treaty.
_NOTES = r"\b(?:this|these|the\s+present)\s+(?:Notes?|Letters?)\b[^.;]{0,240}?"
_CONSTITUTE_AGREEMENT = (
    r"shall\s+constitute\s+an\s+agreement\s+between\s+(?:the\s+)?(?:two\s+)?"
    r"(?:Governments|Parties|States|Contracting\s+Parties)"
)

STATUS_PHRASES: tuple[tuple[str, str], ...] = (
    # "is not legally binding", "shall not be deemed to constitute a treaty", "does not
    # give rise to legal obligations", "is not intended to, and does not, create ..."
    ("nonBinding", rf"{_SUBJECT}{_LINK}(?P<say>{_IS_NOT})"),
    ("nonBinding", rf"{_SUBJECT}{_LINK}(?P<say>{_CREATES_NO})"),  # "creates no legal ..."
    ("nonBinding", rf"{_SUBJECT}{_LINK}(?P<say>{_WITHOUT_EFFECT})"),  # "is without legal effect"
    # "is non-binding", "is politically binding only", "is a statement of political intent"
    ("nonBinding", rf"{_SUBJECT}{_LINK}(?P<say>{_POLITICAL_ONLY})"),
    ("nonBinding", _NON_BINDING_INSTRUMENT),  # "This non-binding Memorandum"
    # "Nothing in this Memorandum creates / is intended to create / shall be construed as"
    ("nonBinding", rf"(?P<say>{_NOTHING_IN_IT})"),
    ("nonBinding", rf"(?P<say>{_NEITHER_IT_NOR})"),  # "Neither this MoU nor its annexes is"
    ("nonBinding", rf"(?P<say>{_NOT_INTENDED_THAT_IT})"),  # "It is not intended that this"
    # "The Participants do not intend this MoU to be legally binding / to create ..."
    ("nonBinding", rf"{_PARTIES}(?P<say>{_DO_NOT_INTEND_IT})"),
    ("nonBinding", rf"{_PARTIES}(?P<say>{_INTEND_IT_NON_BINDING})"),
    ("binding", rf"{_POSITIVE_SUBJECT}{_LINK}(?P<say>{_IS_BINDING})"),  # "shall be legally binding"
    ("binding", rf"{_POSITIVE_SUBJECT}{_LINK}(?P<say>{_IS_A_TREATY})"),  # "constitutes a treaty"
    ("binding", rf"{_POSITIVE_SUBJECT}{_LINK}(?P<say>{_HAS_FORCE})"),  # "shall have binding force"
    ("binding", rf"{_POSITIVE_SUBJECT}{_LINK}(?P<say>{_CREATES})"),  # "creates legal obligations"
    ("binding", rf"{_PARTIES}(?P<say>{_INTEND_IT_BINDING})"),  # "intend it to be binding"
    ("binding", rf"{_NOTES}(?P<say>{_CONSTITUTE_AGREEMENT})"),  # notes that form a treaty
)

# Every statement of status has one of these words; most paragraphs have none.
_STATUS_HINT = re.compile(
    r"binding|legal|treaty|international|enforceable|politic|force|constitute", re.IGNORECASE
)
# A subject that is the object of a preposition ("Nothing in this Memorandum", "under this
# Agreement") is not the subject of the statement.
_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|of|on|to|by|for|with|within|from|under)\s+$", re.IGNORECASE
)
_STATUS_PATTERNS = tuple(
    (value, re.compile(pattern, re.IGNORECASE)) for value, pattern in STATUS_PHRASES
)


def legal_status(text: str) -> Reading | None:
    """The instrument's own statement of its legal status in one paragraph/clause, or None.

    A text that says both (it is binding, it is not) is unclear: None."""
    readings = status_readings(text)
    if len({reading.value for reading in readings}) != 1:
        return None
    return min(readings, key=lambda reading: reading.start)


def status_readings(text: str) -> list[Reading]:
    """Every statement of status in the text, in the order of the phrase table."""
    if not _STATUS_HINT.search(text):
        return []
    return [
        Reading(value, match.start("say"), match.end("say"))
        for value, pattern in _STATUS_PATTERNS
        for match in pattern.finditer(text)
        if not _AFTER_PREPOSITION.search(text, max(0, match.start() - 8), match.start())
    ]
