"""The words of the genre that the extraction reads a text by, grouped by what they are
for: what opens a recital, an item or a list entry, what ends in an abbreviation, the
forms of instruments, modal verbs, signing words, and the words of offices, bodies and
names. A stage's own grammar (how it combines these) stays in the stage."""

import re

# Recitals

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


# "We recognise", "We, the Leaders of …, reaffirm": a recital in the first person.
FIRST_PERSON_RECITAL = re.compile(
    r"^(?P<opening>We(?:,\s+the\s+[^,]{3,120},)?\s+(?:also\s+|further\s+|strongly\s+)?"
    r"(?:recogni[sz]e|note|welcome|acknowledge|affirm|reaffirm|recall|share|believe|"
    r"underline|underscore|emphasi[sz]e|stress|consider|appreciate|take note|are "
    r"(?:convinced|aware|mindful|concerned)|express|highlight|"
    r"acknowledge|celebrate|commend))\b",
    re.I,
)
# Words after a past participle that make it open a recital ("Guided by", "Convinced that").
PARTICIPLE_LINKS = frozenset({"by", "that", "of", "about", "with", "in", "as"})


# Capitals


def in_capitals(value: str) -> bool:
    """Whether a line is written in capitals (two letters or more, all upper case)."""
    letters = [c for c in value if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


# Words broken at line ends

# First parts of compounds that a line break may split ("long-" "term", "large-" "scale"):
# the hyphen stays, since joining them would make a word that is none.
COMPOUND_HEADS = frozenset(
    {"long", "short", "high", "low", "large", "small", "full", "part", "multi", "well",
     "open", "data", "peer", "world", "mid", "middle", "early", "cutting", "state", "best"}
)  # fmt: skip
# Prefixes written with a hyphen: "self-" "reliance" keeps it.
HYPHENATED_PREFIXES = frozenset({"self", "non", "cross", "quasi"})
# What a broken word's second half often is: "work-" "ing" is one word, "data-" "driven" two.
WORD_ENDING = re.compile(
    r"(?:ing|ings|ed|es|s|ly|al|ally|tion|tions|sion|sions|ment|ments|ity|ities|ance|ances|"
    r"ence|ences|ive|ives|er|ers|or|ors|able|ible|ness|ship|ships|ise|ize|ised|ized|ising|"
    r"izing|ation|ations|ure|ures|ant|ants|ent|ents|ic|ical|ist|ists|ism|mes|me)"
)
# Words that cannot end a sentence: a line ending in one goes on after a page break.
CONTINUING_WORDS = frozenset(
    {"a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "between"}
    | {"from", "at", "as", "that", "which", "its", "their", "our", "this", "these", "those"}
    | {"under", "into", "within", "among", "including"}
)

# Item markers and bullets. Four patterns, for four questions:
# - ITEM_MARKER: the marker an operative paragraph opens with, its number in a group named
#   by its kind (paren, dotted, number, letter, bullet), so points of one kind form a list;
# - ITEM_LINE_START: whether a line of hard-wrapped text opens an item (a marker and text
#   after it; also "IV." and "1.2" without a stop), so the block splits before it;
# - PROVISION_MARKER: where a provision's words begin after any marker or "Article 3";
# - LIST_ENTRY_MARKER: the marker before a name in a printed list of parties.
ITEM_MARKER = re.compile(
    r"^(?:\((?P<paren>\d{1,2}|[a-z]{1,2}|[ivxlc]{1,6}|[A-Z])\)"
    r"|(?P<dotted>\d{1,2}(?:\.\d{1,2})+)\.?"
    r"|(?P<number>\d{1,2})[.)]"
    r"|(?P<letter>[a-zA-Z]|[ivxlc]{1,6}|[IVXLC]{1,6})[.)]"
    r"|(?P<bullet>[-\u2022*\u2013\u25aa\u25cf]))\s+"
)
ROMAN = r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})"
ROMAN_CAPITALS = ROMAN.upper()
ITEM_LINE_START = re.compile(
    r"(?:\(\d{1,3}\)|\d{1,3}\)|\d{1,3}(?:\.\d{1,3})*\.|\d{1,3}(?:\.\d{1,3})+"
    rf"|\([a-zA-Z]\)|[a-z][.)]|\((?:{ROMAN}|{ROMAN_CAPITALS})\)|{ROMAN}[.)]"
    rf"|(?=[IVX]{{2}}){ROMAN_CAPITALS}\.|[-\u2013*])\s+\S"
)
PROVISION_MARKER = re.compile(
    r"\s*(?:\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,6})[.)]|[-\u2022*\u2013\u2014]"
    r"|Article\s+\d+\.?)\s+",
    re.IGNORECASE,
)
LIST_ENTRY_MARKER = re.compile(
    r"(?:[-\u2022*\u2013\u2014\u00b7\u25aa]|\d{1,3}[.)]|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+"
)
# A line that opens with a bullet glyph.
BULLET = re.compile(r"[\u2022\u25cf\u25aa\u25e6\u2023\u25cb\u25a0\u27a2\u25ba\uf0b7\uf0a7]\s*\S")

# Abbreviations: a full stop that ends a line or a name without ending a sentence.
# "Dr.", "No.", "U.K.", "A.": a line that ends so does not end its sentence.
ENDS_IN_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Dr|Mr|Mrs|Ms|No|Nos|Art|Arts|para|paras|St|Prof|Hon|Rt|cf)\."
    r"|(?<![\w.])[A-Z]\.)$"
)
# "U.S.", "U. S.": a name that ends in initials keeps its stop.
ENDS_IN_INITIALS = re.compile(r"(?:\.\S*|(?:^|\s)\S)\.$")

# The forms of instruments: the ontology class a title's form names (first match in the
# title wins), the form word that makes a paragraph a title, the forms another instrument
# is named by, and the nouns by which an instrument speaks of itself.
FORM_CLASSES = [
    (
        "MemorandumOfUnderstanding",
        re.compile(r"\bMemorand(um|a) of (Understanding|Cooperation|Co-operation)\b", re.I),
    ),
    ("JointStatement", re.compile(r"\b((Joint )?Statement|Communiqu[eé])\b", re.I)),
    ("Declaration", re.compile(r"\b(Joint )?Declaration\b", re.I)),
    (
        "Agreement",
        re.compile(r"\b(Agreement|Treaty|Convention|Protocol|Exchange of (Notes|Letters))\b", re.I),
    ),
]
FORM_WORD = re.compile(
    r"\b(declaration|statement|memorand(um|a)|agreement|treaty|convention|protocol|"
    r"exchange of (notes|letters)|"
    r"arrangement|communiqu[eé]|charter|accord|letter of intent|understanding)\b",
    re.I,
)
REFERENCE_FORM = re.compile(
    r"\b(Memorand(?:um|a) of Understanding|Joint Statement|Joint Declaration|Declaration|"
    r"Agreement|Treaty|Convention|Protocol|Arrangement|Charter|Accord|Statement of Intent|"
    r"Recommendation|Resolution|Code of Conduct|Code of Practice)\b"
)
INSTRUMENT_NOUN = (
    r"(?:Memorand(?:um|a)(?:\s+of\s+Understanding)?|MoU|Declaration|Statement|Arrangement|"
    r"Agreement|Understanding|Charter|Framework|Roadmap|Communiqu[eé]|Accord|Protocol|Treaty|"
    r"Convention|Letter\s+of\s+Intent|Plan|Partnership|Compact|document|instrument)"
)

# Modal verbs: the auxiliaries a provision's verb is built with, and the verbs that make a
# paragraph a provision rather than front matter (stems: "commit" reads "committed").
MODAL_VERBS = frozenset({"shall", "must", "will", "should", "may"})
OPERATIVE_VERB = re.compile(
    r"\b(will|shall|intend|resolve|commit|pledge|undertake|agree|decide|call upon|encourage)",
    re.I,
)

# Signing: the verbs of a signing or issuing clause, those that say it was signed (not
# only issued), how many originals, in which languages.
SIGNING_VERBS = ("signed", "done", "executed", "adopted", "issued", "made", "agreed")
SIGNING_VERB = re.compile(rf"\b({'|'.join(SIGNING_VERBS)})\b", re.I)
SIGNED_VERBS = frozenset({"signed", "done", "executed"})
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "duplicate": 2, "triplicate": 3, "quadruplicate": 4,
}  # fmt: skip
LANGUAGE_CODES = {
    "arabic": "ar", "chinese": "zh", "danish": "da", "dutch": "nl", "english": "en",
    "finnish": "fi", "french": "fr", "german": "de", "greek": "el", "hebrew": "he",
    "hindi": "hi", "indonesian": "id", "italian": "it", "japanese": "ja", "korean": "ko",
    "norwegian": "no", "polish": "pl", "portuguese": "pt", "russian": "ru", "spanish": "es",
    "swedish": "sv", "thai": "th", "turkish": "tr", "ukrainian": "uk", "vietnamese": "vi",
    "czech": "cs", "estonian": "et", "hungarian": "hu", "latvian": "lv", "lithuanian": "lt",
    "romanian": "ro", "slovak": "sk", "slovenian": "sl", "bulgarian": "bg", "croatian": "hr",
    "malay": "ms", "filipino": "fil", "icelandic": "is", "irish": "ga", "maltese": "mt",
}  # fmt: skip

# Offices, bodies and names: honorifics before a name, the words of a body's name, of an
# office's, of a state's; small words that no person's name holds, that a signature
# block's header goes on with, that a title leaves in lower case.
HONORIFIC = re.compile(
    r"^(The\s+)?(Right\s+)?(Rt\.?\s+)?(?:(Hon(ou?rable|\.)?|Excellency|His Excellency|"
    r"Her Excellency|H\.\s?E\.?|Dr\.?|Prof(essor|\.)?|Mr\.?|Ms\.?|Mrs\.?|Sir|Dame)\s+)+",
    re.I,
)
ORGANIZATION_WORDS = re.compile(
    r"\b(Department|Ministry|Office|House|Agency|Council|Foundation|Institute|Commission|"
    r"Government|Secretariat|Bureau|Authority|Embassy|Mission|University|Cabinet|Directorate|"
    r"Administration|Service|Centre|Center|Parliament|Assembly|Board|Corporation|Academy|"
    r"Organi[sz]ation|Laboratory|Laboratories|Society|Association|Fund|Research|Agence|"
    r"Centro|Consiglio|Ministerio|Ministère|Institut|Centre National)\b"
)
OFFICE_WORDS = re.compile(
    r"\b(Minister|Secretary|Director|President|Chair(man|woman|person)?|Officer|Ambassador|"
    r"Head|Administrator|Chief|Commissioner|Governor|Representative|Advisor|Adviser|"
    r"Counsellor|Councillor|Deputy|Envoy|Prime|Vice|Chancellor|Executive|General|Leader|"
    r"Premier|Chargé|Consul|Rector|Provost|Dean|Principal|Manager|Member)\b"
)
STATE_WORDS = re.compile(
    r"\b(Republic|Kingdom|State|States|Federation|Confederation|Commonwealth|Principality|"
    r"Emirates|Sultanate|Duchy|Government)\b",
    re.I,
)
NOT_IN_PERSON_NAMES = frozenset({"of", "for", "and", "the", "on", "in", "to", "at", "de"})
HEADER_CONNECTORS = frozenset({"of", "for", "and", "the", "de", "la", "du", "des", "on", "in"})
SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an", "de", "la", "du"})
# Words a name printed in capitals keeps in capitals ("MINISTRY OF SCIENCE AND ICT" is
# the Ministry of Science and ICT): the abbreviations bodies' and states' names hold,
# and any word in brackets ("(NICT)").
ACRONYMS = frozenset({
    "AI", "ICT", "R&D", "S&T", "UK", "US", "USA", "EU", "UN", "UAE", "OECD", "NATO",
    "UNESCO", "ASEAN", "APEC", "NASA", "NSF", "NIST", "CNRS", "DFG", "JST", "CSIRO", "UKRI",
    "DARPA", "ETRI", "KAIST", "INRIA", "CERN", "ESA", "ITU", "ISO", "IEEE", "GPAI",
})  # fmt: skip
