"""Rules that read how strongly an instrument binds: the modality of a provision, and the
instrument's own statement of its legal status.

Both read one paragraph or clause and return the words that decide, so that the caller can
quote them as evidence. Where the words do not clearly say, they return None: a wrong
reading is worse than none.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

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

# The statement of legal status. The instrument must be the subject ("This Memorandum",
# "the present Agreement", "it"; "Nothing in this Memorandum"; "The Participants do not
# intend this MoU to be ..."), never an object ("obligations under this Agreement"), and the
# predicate must say what the instrument is or creates: "is not legally binding", "does not
# give rise to legal obligations", "is a statement of political intent". What the span
# quotes is the predicate (or the whole "Nothing in ..." clause).
_INSTRUMENT_NOUN = (
    r"(?:Memorand(?:um|a)(?:\s+of\s+Understanding)?|MoU|Declaration|Statement|Arrangement|"
    r"Agreement|Understanding|Charter|Framework|Roadmap|Communiqu[eé]|Accord|Protocol|Treaty|"
    r"Convention|Letter\s+of\s+Intent|Plan|Partnership|Compact|document|instrument)"
)
# "This Memorandum of Understanding on Research Cooperation (the "MoU")": capitalised words
# and the small words of a title, case-sensitively.
_NAME_TAIL = (
    r"(?:\s+(?:of|on|in|for|between|among|and|the|(?-i:[A-Z][\w'\u2019.&-]*)|\([^()]{0,80}\)))"
    r"{0,14}"
)
_INSTRUMENT = (
    r"(?:this|the\s+present)\s+(?:(?-i:[A-Z][\w'\u2019-]*)\s+){0,4}"
    rf"{_INSTRUMENT_NOUN}\b{_NAME_TAIL}"
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
    rf"(?:(?-i:[A-Z][\w'\u2019-]*)\s+){{0,4}}{_INSTRUMENT_NOUN}\b"
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
_TOKEN = re.compile(r"[^\W\d_][\w'\u2019-]*|\d+|[^\w\s]")
_QUOTED = re.compile(r'"[^"]*"|\u201c[^\u201d]*\u201d')
# "(a) ", "1.2. ", "iv) ", "- ", "Article 3 ": what opens an item, before its first word.
_ITEM_MARKER = re.compile(
    r"\s*(?:\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,6})[.)]|[-\u2022*\u2013\u2014]"
    r"|Article\s+\d+\.?)\s+",
    re.IGNORECASE,
)
_AUXILIARIES = _words("shall must will should may")


@dataclass(frozen=True)
class Reading:
    """What a rule read, and the words in the text that say so."""

    value: str  # for legal_status: "binding" | "nonBinding"; for modality: a modality
    start: int  # span of the deciding words in the text passed in (end exclusive)
    end: int


def legal_status(text: str) -> Reading | None:
    """The instrument's own statement of its legal status in one paragraph/clause, or None.

    A text that says both (it is binding, it is not) is unclear: None."""
    readings = _status_readings(text)
    if len({reading.value for reading in readings}) != 1:
        return None
    return min(readings, key=lambda reading: reading.start)


def modality(text: str) -> Reading | None:
    """The modality of the verb that governs an operative provision (or lead-in), or None.

    The first modal phrase that governs decides; phrases inside a statement of legal
    status, quotations, subordinate or relative clauses, and nouns that look like verbs do
    not."""
    candidates = list(_MODAL.finditer(text))
    if not candidates:
        return None
    excluded = [(r.start, r.end) for r in _status_readings(text)]
    excluded += [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    token_starts = [start for start, _ in tokens]
    marker = _ITEM_MARKER.match(text)
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


def _status_readings(text: str) -> list[Reading]:
    if not _STATUS_HINT.search(text):
        return []
    return [
        Reading(value, match.start("say"), match.end("say"))
        for value, pattern in _STATUS_PATTERNS
        for match in pattern.finditer(text)
        if not _AFTER_PREPOSITION.search(text, max(0, match.start() - 8), match.start())
    ]


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
    if sentence_initial and word.lower() in _AUXILIARIES:  # "Should a Party wish to ..."
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
