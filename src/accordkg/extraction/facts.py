"""Stage 3: read the facts out of an instrument's segments.

Facts are still text (names as printed, with the `Text` they came from); the RDF stage
links them to entities and mints IRIs. Parties are resolved here to one identity per
party (a state by its ISO 3166 code, an organisation by the gazetteer's key, else its
name), so that "the Government of the Republic of Korea", "FOR THE REPUBLIC OF KOREA" and
its short name are one party. What cannot be read is reported as a warning naming the
part; a text without a recognisable title is an InputError.
"""

import re
from dataclasses import dataclass, field

from rdflib import Literal

from accordkg.errors import InputError
from accordkg.extraction.dates import FoundDate, find_date, find_day_in_year
from accordkg.extraction.gazetteer import KnownParty, find_party, split_party_list
from accordkg.extraction.legal_force import legal_status
from accordkg.extraction.lexicon import (
    ACRONYMS,
    FORM_CLASSES,
    HONORIFIC,
    LANGUAGE_CODES,
    NUMBER_WORDS,
    OFFICE_WORDS,
    ORGANIZATION_WORDS,
    REFERENCE_FORM,
    SIGNED_VERBS,
    SIGNING_VERB,
    SMALL_WORDS,
    STATE_WORDS,
)
from accordkg.extraction.modality import modality
from accordkg.extraction.reading import Reading
from accordkg.extraction.registry import name_key
from accordkg.extraction.segment import (
    Heading,
    Segments,
    SignatureBlock,
    Unit,
    recital_opening,
)
from accordkg.extraction.text import Text

TITLE_FORM = (
    r"\b(?:Declaration|Statement|Understanding|Agreement|Treaty|Convention|Protocol|"
    r"Arrangement|Cooperation|Co-operation|Intent|Notes|Letters)\s+"
    r"(?:of|by|between|among|amongst|from)\s+(?P<parties>.+?)\s+"
)
# The subject of a title follows its parties: "on …" first, as agencies' names hold "for".
# A title may end on its parties instead ("… on AI Cooperation between A and B"), where
# only "between" or "among" can tell them from the subject ("Declaration of Intent").
TITLE_PARTIES = [
    re.compile(TITLE_FORM + r"(?:on|concerning|regarding|relating|about|with\s+respect)\s", re.I),
    re.compile(TITLE_FORM + r"(?:for|to|in)\s", re.I),
    re.compile(
        r"\b(?:Statement|Declaration|Cooperation|Co-operation|Partnership)\s+"
        r"(?:between|among|amongst)\s+(?P<parties>[^,;:]+?\s+and\s+[^,;:]+?)\s*$",
        re.I,
    ),
]
PARTY_SEPARATORS = re.compile(r",\s*(?:and\s+)?(?=the\s)|\s+and\s+(?=the\s)|;\s*", re.I)
STATE_GOVERNMENT = r"^(?:the\s+)?(?:(?:federal\s+|royal\s+)?government\s+of\s+)?(?:the\s+)?"
PLAIN_PARTY_SEPARATORS = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
SHORT_NAME = re.compile(
    r"\s*\((?:hereinafter\s+)?(?:(?:referred\s+to\s+as|called|jointly|collectively)\s+)?"
    r"(?:as\s+)?(?:the\s+)?[\"'\u201c\u2018](?P<short>[^\"'\u201d\u2019]{1,60})"
    r"[\"'\u201d\u2019]\)",
    re.I,
)
COLLECTIVE = re.compile(
    r"^(?:the\s+)?(parties|participants|sides|signatories|partners|two sides|"
    r"contracting parties|two parties|two participants)$",
    re.I,
)
CHAPEAU_TAIL = re.compile(
    r",?\s*(?:\(?\s*hereinafter|\(?\s*collectively|\(?\s*jointly|\(?\s*together|"
    r"\(?\s*each\s+a|meeting\s+in|gathered\s+in|on\s+the\s+occasion)\b.*$",
    re.I | re.S,
)
WE_THE = re.compile(
    r"^We,\s+the\s+(?:[\w\s-]*?\b(?:Leaders|Heads\s+of\s+State\s+and\s+Government|Ministers|"
    r"Heads|Representatives|Governments|Prime\s+Ministers|Presidents|Members))"
    r"(?:\s+(?!of\b)[\w-]+)*?\s+of\s+(?P<list>.+?)(?:,\s*(?:meeting|met|meet|gathered|assembled|"
    r"convened|having|on|in|at|recogni|together|who)\b|,\s*$|\s*:\s*$|$)",
    re.I | re.S,
)
STATE_PAIR = re.compile(
    r"\b(?P<first>[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)\s?[\u2013\u2014-]\s?(?P<second>[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)\b"
)
GOVERNMENTS_OF = re.compile(
    r"^(?:The\s+)?Governments\s+of\s+(?P<list>.+?)\s*(?:\(|,\s*(?:hereinafter|together)|,?\s*$)",
    re.I | re.S,
)
OFFICE_OF = re.compile(
    r"^(?:the\s+)?(?:Prime\s+Ministers?|Ministers?|Leaders?|Presidents?|Heads?\s+of\s+"
    r"(?:State|Government)[\w\s]*?|Chancellors?|Secretar(?:y|ies)\s+of\s+State|Premiers?|"
    r"Foreign\s+Ministers?|Vice[\s-]Presidents?|Representatives?)\b(?:.*\s)?of\s+"
    r"(?P<party>(?:the\s+)?[A-Z](?:(?!\bof\s).)*)$",
    re.I,
)
# "shall" reads binding, "will" and "intend" not; "may" and "should" go with either.
NOT_BINDING_MODALITIES = frozenset({"undertaking", "intention"})
BODY_NOUNS = (
    r"dialogue|working group|group|committee|commission|council|forum|programme|program|"
    r"network|centre|center|task force|mechanism|secretariat|board|panel|fund|initiative|"
    r"consortium|platform|partnership|alliance|hub|observatory|laboratory|facility|"
    r"coalition|taskforce|working party|office|conference of the parties"
)
MECHANISM = re.compile(
    r"\b(?:establish(?:es|ing|ed)?|creat(?:e|es|ing|ed)|set(?:s|ting)?\s+up|"
    r"conven(?:e|es|ing|ed)|launch(?:es|ing|ed)?|form(?:s|ing|ed)?|constitut(?:e|es|ing|ed)|"
    r"institut(?:e|es|ing|ed))\s+(?:a|an|the)\s+"
    r"(?P<name>[\w\s\-\u2013]*?\b(?:" + BODY_NOUNS + r")s?)\b",
    re.I,
)
PASSIVE_MECHANISM = re.compile(
    r"\b(?:A|An|The)\s+(?P<name>(?:[A-Z][\w\-\u2013]*\s+)*(?i:"
    + BODY_NOUNS
    + r"))\b[^.;]{0,120}?\b(?:shall|will|is\s+to|are\s+to)\s+be\s+(?:established|set\s+up|"
    r"created|convened|launched|formed|constituted)\b"
)
PROPER_TAIL = re.compile(  # "… on Science, Technology and Innovation"
    r"(?:\s+(?:on|for|of|in)(?:(?:\s+|,\s+)(?:the|and|of|in|for|on|[A-Z][\w\-\u2013]*))*\s+"
    r"[A-Z][\w\-\u2013]*)?"
)
# "a network of centres of excellence that …": "of" phrases that name the body.
GENERIC_TAIL = re.compile(
    r"(?:\s+of\s+(?:(?!(?:that|which|who|to|for|on|in|with|and|the|where|by)\b)[a-z][\w\-]*"
    r"(?:\s+|(?=[\s,.;:]|$))){1,4})*"
)
NAME_TAIL_START = frozenset({"between", "on", "of", "for", "concerning", "regarding", "among"})
CONNECTORS = frozenset({"the", "and", "of", "on", "for", "in", "between", "among", "to"})
NAME_CONNECTORS = CONNECTORS | {
    "concerning", "regarding", "de", "la", "du", "des", "le", "di", "del", "von", "van",
    "der", "et", "with", "regard", "respect", "against", "from", "by",
}  # fmt: skip
SELF_REFERENCE = re.compile(r"\b(this|the present|these|that)\s+$", re.I)
# Words by which a text acts under another instrument ("pursuant to the Agreement").
BASIS = (
    r"\b(?:pursuant\s+to|in\s+pursuance\s+of|under|in\s+accordance\s+with|"
    r"in\s+implementation\s+of|implementing|on\s+the\s+basis\s+of)"
)
BUILDS_ON = re.compile(
    rf"(?:{BASIS}|\b(?:building\s+(?:up)?on|further\s+to|to\s+implement|based\s+on|"
    r"within\s+the\s+framework\s+of))\s+(?:the\s+)?$",
    re.I,
)
# "…, signed at Seoul on 14 May 2024, which this Arrangement implements"
IMPLEMENTED = re.compile(r"^[^;]{0,120}?\bwhich\s+(?:this|the\s+present)\s+\w+\s+implements\b")
DATED = re.compile(
    r"^,?\s+(?:(?:signed|done|concluded|adopted|dated|issued|agreed|made)\s+"
    r"(?:(?:at|in)\s+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)"
    r"(?P<place>[A-Z][\w\-]+(?:\s[A-Z][\w\-]+){0,2})\s+)?(?:in\s+|on\s+)?|of\s+)"
)
PLACES = re.compile(
    r"\b(?:at|in)\s+(?P<places>[A-Z][^,]*?(?:,\s*[A-Z][^,]*?)*?)(?:,?\s+(?:on|this|in)\b|,)"
)
OFFICE_AFTER_DASH = re.compile(r"\s+[\u2013\u2014-]\s+.*$")
ORIGINALS = re.compile(
    r"\bin\s+(?P<count>\w+)\s+(?:original|copie)s?\b|\bin\s+(?P<plicate>\w+plicate)\b|"
    r"\bin\s+a\s+(?P<single>single)\s+(?:original|copy)\b",
    re.I,
)
LANGUAGES = re.compile(
    r"\bin\s+(?:the\s+)?(?P<names>[A-Z]\w+(?:(?:,\s*|,?\s+and\s+)[A-Z]\w+)*)"
    r"(?P<word>\s+languages?\b)?"
)
EVENT = re.compile(r"\b(?:during|at|on the occasion of)\s+the\s+(?P<event>.+?)\.?$")
POST_NOMINAL = re.compile(r"[A-Z]{2,5}|Ph\.?D\.?|QC|KC")
ABBREVIATION = re.compile(r"^(?:[A-Z]\.)+[,;:)]?$")


@dataclass(frozen=True)
class Reference:
    """Another instrument named in a provision, and how the naming instrument relates to it."""

    name: str
    form: str | None
    date: Literal | None
    place: str | None
    builds_on: bool


@dataclass(frozen=True)
class ExtractedProvision:
    """A recital or commitment, in document order within its kind."""

    position: int
    text: str
    source: Text
    opening_word: str | None = None
    modality: str | None = None
    number: str | None = None
    article: int | None = None
    mechanisms: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Article:
    """A numbered article or section: its number and heading as printed."""

    position: int
    number: str
    heading: str | None
    source: Text
    lead_in: "Clause | None" = None


@dataclass(frozen=True)
class Clause:
    """A lead-in or the signing clause: text, source and what it names."""

    text: str
    source: Text
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Signing:
    """What the signing or issuing clause (or the dateline) states."""

    clause: Clause | None
    signed: bool
    date: Literal | None
    date_source: Text | None
    places: tuple[str, ...]
    originals: int | None
    languages: tuple[str, ...]


@dataclass
class Party:
    """One party of the instrument, however many ways it is printed."""

    name: str
    known: KnownParty | None
    names: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)

    @property
    def kind(self) -> str:
        if self.known is not None:
            return self.known.kind
        # An unknown name is a state where it reads as one ("the Republic of X", "the
        # Government of X", one proper name); an agency or body otherwise ("ETRI",
        # "Deutsche Forschungsgemeinschaft"). Either way the party is minted with a warning.
        printed = self.names[0]
        key = name_key(printed)
        if ORGANIZATION_WORDS.search(key.title()):
            return "organization"
        one_name = (
            len(key.split()) == 1 and not re.sub(r"^the\s+", "", printed, flags=re.I).isupper()
        )
        return "state" if STATE_WORDS.search(printed) or one_name else "organization"


@dataclass(frozen=True)
class Signatory:
    """One signature: who signed, for which party (an index into `parties`), as printed."""

    party: int
    party_name: str
    name: str
    honorific: str | None
    post_nominals: str | None
    office: str | None
    organization: str | None
    source: Text


@dataclass(frozen=True)
class ReleaseFacts:
    """How the page says the instrument was released."""

    release_type: str | None
    issuer: str | None
    date: Literal | None
    event: str | None
    event_date: Literal | None


@dataclass(frozen=True)
class InstrumentFacts:
    """Everything read from one instrument's text."""

    form: str
    title: str
    subtitle: str | None
    title_source: Text
    parties: tuple[Party, ...]
    legal_force: str | None
    legal_force_stated: bool
    legal_force_source: Text | None
    recitals: tuple[ExtractedProvision, ...]
    lead_in: Clause | None
    articles: tuple[Article, ...]
    commitments: tuple[ExtractedProvision, ...]
    signing: Signing | None
    signatories: tuple[Signatory, ...]
    release: ReleaseFacts
    warnings: tuple[str, ...]


def extract(segments: Segments, name: str) -> InstrumentFacts:
    """Read the facts of one instrument; `name` names the document in messages."""
    if segments.title is None:
        raise InputError(f"{name}: no recognisable title")
    return _Reader(segments).facts()


class _Reader:
    def __init__(self, segments: Segments) -> None:
        self.segments = segments
        self.warnings: list[str] = list(segments.warnings)
        self.parties: list[Party] = []
        self.aliases: dict[str, int] = {}

    def facts(self) -> InstrumentFacts:
        segments = self.segments
        assert segments.title is not None
        title = segments.title.value
        form = _form(title, segments.preface)
        if form is None:
            self.warnings.append("title: no instrument form (declaration, statement, …) recognised")
        self._read_parties(title)
        recitals = tuple(
            ExtractedProvision(
                position,
                text.value,
                text,
                opening_word=recital_opening(text.value) or text.value.split()[0],
                references=references_in(text.value),
            )
            for position, text in enumerate(segments.recitals, start=1)
        )
        lead_in_readings: list[Reading | None] = []
        for lead_in, parent in zip(segments.lead_ins, segments.lead_in_parents, strict=True):
            # A point that opens points of its own passes on the verb that governs it.
            own = modality(lead_in.value)
            lead_in_readings.append(
                own or (lead_in_readings[parent] if parent is not None else None)
            )
        statement, statement_unit = self._legal_status()
        commitments = self._commitments(lead_in_readings)
        legal_force, legal_force_source = self._legal_force(
            statement, statement_unit, commitments, lead_in_readings
        )
        signing = self._signing()
        signatories = self._signatories()
        self._participation(signing, signatories)
        for part, missing in [
            ("preamble", not recitals),
            ("operative part", not commitments),
            ("signing or issuing clause", signing is None or signing.clause is None),
            ("signatures or endorsements", not signatories and segments.endorsements is None),
        ]:
            if missing:
                self.warnings.append(f"{part}: none found")
        if signing is not None and signing.date is None and signing.clause is not None:
            self.warnings.append(f"signing clause: no date found in {signing.clause.text!r}")
        if not self.parties:
            self._parties_of_a_pair(title)
        if not self.parties:
            self.warnings.append(
                "parties: none named in the title, chapeau, signature blocks or endorsements"
            )
        subtitle = title.split(": ", 1)[1] if ": " in title else None
        top_lead_in = segments.lead_in
        return InstrumentFacts(
            form=form or "Instrument",
            title=title,
            subtitle=subtitle,
            title_source=segments.title,
            parties=tuple(self.parties),
            legal_force=legal_force,
            legal_force_stated=statement is not None,
            legal_force_source=legal_force_source,
            recitals=recitals,
            lead_in=_clause(top_lead_in) if top_lead_in is not None else None,
            articles=self._articles(),
            commitments=commitments,
            signing=signing,
            signatories=tuple(signatories),
            release=_release(segments),
            warnings=tuple(dict.fromkeys(self.warnings)),
        )

    # Parties

    def _read_parties(self, title: str) -> None:
        segments = self.segments
        named = self._chapeau_parties()
        if not named:
            for printed in _title_parties(title):
                self._party(printed, "title")
        for block in segments.signature_blocks:
            self._party(block.party.value, "block")
        if segments.endorsements is not None:
            for listed in _list_entries(segments.endorsements):
                for start, end in split_party_list(listed):
                    index = self._party(listed[start:end], "list")
                    if index is not None:
                        self.parties[index].roles.add(segments.listed_role)

    def _chapeau_parties(self) -> bool:
        """The parties the chapeau names, with their short names; False if it names none."""
        chapeau = self.segments.chapeau
        if chapeau is None:
            return False
        value = chapeau.value
        listed = WE_THE.match(value) or GOVERNMENTS_OF.match(value)
        if listed is not None:  # "We, the Leaders of A, B and C", "The Governments of A, B and C"
            phrase = listed["list"]
            names = [phrase[start:end] for start, end in split_party_list(phrase)]
            found = [self._party(name, "chapeau") for name in names]
            return any(index is not None for index in found)
        if value.startswith(("We,", "WE,")):
            return False  # "We, the ministers responsible for science, …": no names
        found_any = False
        position = 0
        for match in [*SHORT_NAME.finditer(value), None]:
            segment = value[position : match.start() if match else len(value)]
            position = match.end() if match else len(value)
            segment = CHAPEAU_TAIL.sub("", segment).strip(" ,;")
            segment = re.sub(r"^(?:,\s*)?(?:and\s+)", "", segment, flags=re.I).strip(" ,")
            if not segment:
                continue
            names = [n.strip() for n in PARTY_SEPARATORS.split(segment) if n.strip()]
            indexes = [self._party(n, "chapeau") for n in names]
            found_any = found_any or any(i is not None for i in indexes)
            if match and indexes and indexes[-1] is not None:
                short = match["short"].strip()
                if not COLLECTIVE.match(short):
                    self.aliases[name_key(short)] = indexes[-1]
        return found_any

    def _party(self, printed: str, where: str) -> int | None:
        """The index of the party a printed name denotes, adding it if new; None (with a
        warning) when the name is not one a party could bear."""
        name = _tidy_name(printed)
        if not name:
            return None
        alias = self.aliases.get(name_key(name))
        if alias is not None:
            return self._seen(alias, name)
        known, name = _recognised(name)
        if known is None and not self._may_mint(name, where):
            return None
        same = self._same_party(known, name)
        if same is not None:
            return self._seen(same, name)
        if known is None:
            self.warnings.append(minted_warning(name))
        self.parties.append(Party(name=party_label(name), known=known, names=[name]))
        self.aliases[name_key(name)] = len(self.parties) - 1
        return len(self.parties) - 1

    def _parties_of_a_pair(self, title: str) -> None:
        """Where nothing else names the parties, a title that joins two states' names
        ("Fifth Meeting of the Australia\u2013India Joint Committee") names them: each
        takes part by issuing the text, and the reading is warned about."""
        for match in STATE_PAIR.finditer(title):
            first, second = _state_name(match["first"], -1), _state_name(match["second"], 0)
            if first is None or second is None:
                continue
            for name in (first, second):
                index = self._party(name, "title")
                if index is not None:
                    self.parties[index].roles.add("issues")
            self.warnings.append(f"parties: read as {first} and {second} from the title")
            return

    def _may_mint(self, name: str, where: str) -> bool:
        """Whether an unknown name may become a party of its own: not an office whose
        state is unknown, and in a title or chapeau a proper name ("the Kingdom of
        Freedonia", not "the countries listed below")."""
        if OFFICE_OF.match(name) or (where in ("title", "chapeau") and not _proper_name(name)):
            self.warnings.append(f"{where}: {name!r} not read as a party")
            return False
        return True

    def _same_party(self, known: KnownParty | None, name: str) -> int | None:
        """A party already read that `name` denotes too: the same state or organisation,
        the same name, or (with a warning) a name that one of the two extends."""
        key = name_key(name)
        for index, party in enumerate(self.parties):
            if known is not None and party.known == known:
                return index
            if known is None and party.known is None and key in map(name_key, party.names):
                return index
        for index, party in enumerate(self.parties):
            other = name_key(party.names[0])
            if (known is None and party.known is None) and (
                key.startswith(other + " ") or other.startswith(key + " ")
            ):
                self.warnings.append(
                    f"parties: {name!r} taken as {party.names[0]!r} (one name extends the other)"
                )
                return index
        return None

    def _seen(self, index: int, name: str) -> int:
        party = self.parties[index]
        if name not in party.names:
            party.names.append(name)
        if party.name.isupper() and not name.isupper() and party.known is None:
            party.name = party_label(name)
        return index

    def _participation(self, signing: Signing | None, signatories: list[Signatory]) -> None:
        """How each party takes part: signs (a signature block), endorses (a list),
        issues (named as an author of a text issued, not signed)."""
        issued = (
            not self.segments.signature_blocks
            and self.segments.endorsements is None
            and (signing is None or not signing.signed)
        )
        for signatory in signatories:
            self.parties[signatory.party].roles.add("signs")
        if issued:
            for party in self.parties:
                party.roles.add("issues")

    # Provisions

    def _legal_status(self) -> tuple[Reading | None, int | None]:
        """The instrument's own statement of its legal status, and which unit states it
        (None when the chapeau or a lead-in does)."""
        for index, unit in enumerate(self.segments.units):
            reading = legal_status(unit.text.value)
            if reading is not None:
                return reading, index
        return None, None

    def _commitments(
        self, lead_in_readings: list[Reading | None]
    ) -> tuple[ExtractedProvision, ...]:
        commitments: list[ExtractedProvision] = []
        units = self.segments.units
        ends = self._operative_end(lead_in_readings)
        for unit in units[ends:]:
            self.warnings.append(f"after the operative part, not read: {unit.text.value[:60]!r}")
        for unit in units[:ends]:
            text = unit.text.value
            own = modality(text)
            if _states_status(text, own):
                continue  # a statement of legal status is the instrument's, not a commitment
            governing = lead_in_readings[unit.lead_in] if unit.lead_in is not None else None
            reading = governing or own
            position = len(commitments) + 1
            if reading is None:
                where = (
                    f"article {self.segments.articles[unit.article].number}, "
                    if (unit.article is not None)
                    else ""
                )
                self.warnings.append(
                    f"operative paragraph {position} ({where}{text[:50]!r}): no modality read"
                )
            commitments.append(_provision(position, unit, reading.value if reading else None))
        return tuple(commitments)

    def _operative_end(self, lead_in_readings: list[Reading | None]) -> int:
        """Where the operative part ends: page text after the last provision that reads
        (related links, contacts) is not a provision; it has no closing full stop."""
        end = len(self.segments.units)
        while end:
            unit = self.segments.units[end - 1]
            value = unit.text.value
            governed = unit.lead_in is not None and lead_in_readings[unit.lead_in] is not None
            if (
                governed
                or unit.article is not None
                or unit.number is not None
                or value.endswith((".", ";", ":", ",", "and", "or"))
                or modality(value) is not None
                or legal_status(value) is not None
            ):
                break
            end -= 1
        return end

    def _legal_force(
        self,
        statement: Reading | None,
        statement_unit: int | None,
        commitments: tuple[ExtractedProvision, ...],
        lead_in_readings: list[Reading | None],
    ) -> tuple[str | None, Text | None]:
        """Binding or not, and the words that say so: the text's own statement first, else
        the modal verbs of the operative part."""
        segments = self.segments
        if statement is not None and statement_unit is not None:
            unit = segments.units[statement_unit]
            return statement.value, unit.text[statement.start : statement.end]
        read = [c for c in commitments if c.modality is not None]
        if not read:
            return None, None
        binding = any(c.modality == "obligation" for c in read)
        if binding and any(c.modality in NOT_BINDING_MODALITIES for c in read):
            self.warnings.append(
                "legal force: not stated, and the operative part mixes obligations (shall) "
                "with other modalities; left unread"
            )
            return None, None
        first = read[0]
        unit = segments.units[_unit_index(segments, first)]
        lead_in = lead_in_readings[unit.lead_in] if unit.lead_in is not None else None
        if lead_in is not None and unit.lead_in is not None:
            evidence = _verb(segments.lead_ins[unit.lead_in], lead_in)
        else:
            own = modality(unit.text.value)
            evidence = _verb(unit.text, own) if own else unit.text
        return ("binding" if binding else "nonBinding"), evidence

    def _articles(self) -> tuple[Article, ...]:
        segments = self.segments
        lead_ins: dict[int, Clause] = {}
        for unit in segments.units:
            if unit.article is not None and unit.lead_in is not None:
                lead_ins.setdefault(unit.article, _clause(segments.lead_ins[unit.lead_in]))
        return tuple(
            Article(
                position=index + 1,
                number=heading.number,
                heading=heading.title.value if heading.title else None,
                source=_heading_source(heading),
                lead_in=lead_ins.get(index),
            )
            for index, heading in enumerate(segments.articles)
        )

    # Signing and signatures

    def _signing(self) -> Signing | None:
        segments = self.segments
        clause = segments.signing_clause
        if clause is None:
            header = segments.header_date
            day = find_date(header.value, partial=True) if header else self._block_date()
            if day is None:
                return None
            place = segments.dateline_place
            return Signing(
                clause=None,
                signed=bool(segments.signature_blocks),
                date=day.literal,
                date_source=header,
                places=(_title_case(place.value),) if place is not None else (),
                originals=None,
                languages=(),
            )
        text = clause.value
        day = find_date(text) or self._block_date()
        places = PLACES.search(text)
        languages = languages_in(text)
        verb = SIGNING_VERB.search(text)
        return Signing(
            clause=_clause(clause),
            signed=verb is not None and verb[1].lower() in SIGNED_VERBS,
            date=day.literal if day else None,
            date_source=clause,
            places=_places(places["places"]) if places else (),
            originals=originals_in(text),
            languages=languages,
        )

    def _block_date(self) -> FoundDate | None:
        """The date the signature blocks give ("Date: 18 October 2023"), where the signing
        clause gives none and every block gives the same day; else None (and a warning
        where they differ)."""
        found = [find_date(d.value) for b in self.segments.signature_blocks for d in b.dates]
        days = {day.literal for day in found if day is not None}
        if len(days) > 1:
            self.warnings.append("signature blocks: dated differently; no date read")
        return found[0] if len(days) == 1 else None

    def _signatories(self) -> list[Signatory]:
        signatories = []
        for block in self.segments.signature_blocks:
            party = self._party(block.party.value, "block")
            if party is None:
                continue
            for index, lines in enumerate(block.signers):
                signatories.append(self._signatory(block, party, index, lines))
            for reason in block.unclear:
                self.parties[party].roles.add("signs")  # the block says so, whoever signed
                self.warnings.append(
                    f"signature block for {block.party.value}: {reason}; no signature read"
                )
            if not block.signers and not block.unclear:
                self.warnings.append(f"signature block for {block.party.value}: no signatory")
        return signatories

    def _signatory(
        self, block: SignatureBlock, party: int, index: int, lines: tuple[Text, ...]
    ) -> Signatory:
        first = lines[0].value
        honorific = HONORIFIC.match(first)
        name_part = first[honorific.end() :] if honorific else first
        name, _, post_nominals = (part.strip() for part in name_part.partition(","))
        tokens = name.split()
        last = tokens[-1] if len(tokens) > 2 and not name.isupper() else ""
        if not post_nominals and POST_NOMINAL.fullmatch(last):
            post_nominals = tokens.pop()  # "Sir Jonathan Whitcombe KCB"
            name = " ".join(tokens)
        office, organization = _office_and_organization([line.value for line in lines[1:]])
        # The first signatory's evidence starts at the "For <party>:" line.
        source = Text.join([block.header, *lines] if index == 0 else list(lines), "\n")
        return Signatory(
            party=party,
            party_name=block.party.value,
            name=_titled(name) if name.isupper() else name,
            honorific=honorific[0].strip() if honorific else None,
            post_nominals=post_nominals or None,
            office=office,
            organization=organization,
            source=source,
        )


def _places(printed: str) -> tuple[str, ...]:
    """The places a signing clause names ("London and Washington"), never a language
    ("in English and French, …")."""
    names = [p.strip() for p in PLAIN_PARTY_SEPARATORS.split(printed) if p.strip()]
    if any(name.lower() in LANGUAGE_CODES for name in names):
        return ()
    return tuple(names)


def originals_in(text: str) -> int | None:
    """How many originals a signing clause says were signed ("in two originals", "in
    duplicate", "in a single copy")."""
    originals = ORIGINALS.search(text)
    if originals is None:
        return None
    count = (originals["count"] or originals["plicate"] or "one").lower()
    return int(count) if count.isdigit() else NUMBER_WORDS.get(count)


def languages_in(text: str) -> tuple[str, ...]:
    """The languages a signing clause names: "in the English and Korean languages", or
    "in English and French" where every name is a language's."""
    for match in LANGUAGES.finditer(text):
        names = [n.lower() for n in PLAIN_PARTY_SEPARATORS.split(match["names"]) if n]
        if match["word"] or all(n in LANGUAGE_CODES for n in names):
            codes = tuple(LANGUAGE_CODES[n] for n in names if n in LANGUAGE_CODES)
            if codes:
                return codes
    return ()


def _form(title: str, preface: Text | None) -> str | None:
    for text in (title, preface.value if preface else ""):
        found = [(m.start(), form) for form, p in FORM_CLASSES if (m := p.search(text))]
        if found:
            return min(found)[1]
    return None


def _list_entries(endorsements: Text) -> list[str]:
    """The lines of an endorsement list, each without what follows its name after a dash
    ("Australia - Minister for Industry and Science")."""
    return [OFFICE_AFTER_DASH.sub("", line.value) for line in endorsements.lines() if line.value]


def _title_parties(title: str) -> list[str]:
    """Party names as printed in the title ("… between A and B on …")."""
    head = title.split(": ", 1)[0] + " "
    match = next((m for pattern in TITLE_PARTIES if (m := pattern.search(head))), None)
    if not match:
        return []
    phrase = match["parties"]
    separators = PARTY_SEPARATORS if PARTY_SEPARATORS.search(phrase) else PLAIN_PARTY_SEPARATORS
    return [part.strip() for part in separators.split(phrase) if part.strip()]


def _tidy_name(printed: str) -> str:
    name = re.sub(r"\s+", " ", printed).strip(" ,;:.\u2022-")
    return re.sub(r"^(?:and|as well as)\s+", "", name, flags=re.I)


def _state_name(words: str, keep: int) -> str | None:
    """The state named by the words on one side of a dash ("Australia", "India" in
    "India Joint"): all of them, or only the one next to the dash (`keep` 0 for the first
    word, -1 for the last)."""
    for name in (words, words.split()[keep]):
        known = find_party(name)
        if known is not None and known.kind == "state":
            return name
    return None


def minted_warning(name: str) -> str:
    """What is said of a party the gazetteer does not know (taken back where the records
    know it by that name: `accordkg.extraction.extract_source`)."""
    return f"party {name!r} is not in the gazetteer or the records: minted from its name"


def _recognised(name: str) -> tuple[KnownParty | None, str]:
    """The state or organisation a name denotes, also where an office names it ("the Prime
    Minister of Japan", "the Ministers responsible for Research of X"), and the name of
    the party itself."""
    known = find_party(name)
    office = OFFICE_OF.match(name) if known is None else None
    if office is not None and (by_office := find_party(office["party"])) is not None:
        return by_office, _tidy_name(office["party"])
    return known, name


def party_label(name: str, state: bool = False) -> str:
    """A party's label: its name without a leading "the" (and for a state, without "the
    Government of"), capitals made readable."""
    label = re.sub(STATE_GOVERNMENT if state else r"^the\s+", "", name, flags=re.I)
    return _titled(label) if label.isupper() else label


def _titled(value: str) -> str:
    """'NATIONAL RESEARCH FOUNDATION OF KOREA' as 'National Research Foundation of Korea'."""
    if not value.isupper():
        return value
    return _title_case(value)


def _proper_name(name: str) -> bool:
    """Whether a name from a title reads as a party's: a few words, all capitalised but
    the small ones ("the Kingdom of Freedonia", not "leaders of the region")."""
    words = re.sub(r"^the\s+", "", name, flags=re.I).split()
    return 0 < len(words) <= 20 and all(w[:1].isupper() or w in SMALL_WORDS for w in words)


def _verb(text: Text, reading: Reading) -> Text:
    """The modal verb a reading quotes, without the "to" of "intend to"."""
    quoted = text[reading.start : reading.end]
    return quoted[: len(quoted.value) - 3] if quoted.value.endswith(" to") else quoted


def _states_status(text: str, own: Reading | None) -> bool:
    """Whether a paragraph states the instrument's legal status and nothing more: any
    modal verb in it belongs to the statement ("shall not be legally binding")."""
    status = legal_status(text)
    return status is not None and (own is None or status.start - 25 <= own.start <= status.end)


def _unit_index(segments: Segments, provision: ExtractedProvision) -> int:
    return next(i for i, u in enumerate(segments.units) if u.text == provision.source)


def _heading_source(heading: Heading) -> Text:
    """The heading's text: "Article 1" and its title, on one line or two."""
    title = heading.title
    if title is None or title.span[0] < heading.source.span[1]:
        return heading.source
    return Text.join([heading.source, title])


def _provision(position: int, unit: Unit, modality_name: str | None) -> ExtractedProvision:
    text = unit.text.value
    return ExtractedProvision(
        position,
        text,
        unit.text,
        modality=modality_name,
        number=unit.number,
        article=unit.article,
        mechanisms=mechanisms_in(text),
        references=references_in(text),
    )


def mechanisms_in(text: str) -> tuple[str, ...]:
    """The bodies a provision sets up, by name: a proper name whole ("Joint Working Group
    on Artificial Intelligence"), a generic one to its head noun ("joint working group")."""
    names = []
    for match in [*MECHANISM.finditer(text), *PASSIVE_MECHANISM.finditer(text)]:
        name = match["name"].strip()
        tail = PROPER_TAIL if name[:1].isupper() else GENERIC_TAIL
        name += tail.match(text[match.end("name") :])[0]  # type: ignore[index]
        names.append(name.strip())
    return tuple(dict.fromkeys(names))


def _clause(text: Text) -> Clause:
    return Clause(text.value, text, references_in(text.value))


def references_in(text: str) -> tuple[Reference, ...]:
    """Other instruments named by title: capitalised words around a form word, e.g. "the
    US-UK Science and Technology Agreement" or "the Memorandum of Understanding between
    A and B on C", with the date and place printed after it ("signed at Berne on …")."""
    references: list[Reference] = []
    for match in REFERENCE_FORM.finditer(text):
        before = text[: match.start()]
        if SELF_REFERENCE.search(before):
            continue
        prefix = _capitalised_run_before(before)
        tail = _name_tail(text[match.end() :])
        if not prefix and not tail:
            continue
        name = " ".join(part for part in (prefix, match[0], tail) if part)
        name_start = match.start() - len(prefix) - (1 if prefix else 0)
        after = text[match.end() + len(tail) + (1 if tail else 0) :]
        dated = DATED.match(after)
        day = find_date(after[dated.end() :][:40], partial=True) if dated else None
        short = SHORT_NAME.search(after[:200])  # "(hereinafter referred to as "the Agreement")"
        references.append(
            Reference(
                name=name,
                form=_form(match[0], None),
                date=day.literal if day and day.start == 0 else None,
                place=dated["place"] if dated and day and day.start == 0 else None,
                builds_on=bool(BUILDS_ON.search(text[:name_start]))
                or bool(IMPLEMENTED.match(after))
                or (short is not None and _based_on(text, short["short"])),
            )
        )
    return tuple(references)


def _based_on(text: str, short: str) -> bool:
    """Whether the text acts under an instrument it named by a short name ("in pursuance
    of Article 4 of the Agreement")."""
    basis = (
        rf"{BASIS}\s+(?:Article\s+\w+\s+of\s+)?(?:the\s+)?{re.escape(short.removeprefix('the '))}\b"
    )
    return re.search(basis, text, re.I) is not None


def _capitalised_run_before(text: str) -> str:
    words = text.split()
    run: list[str] = []
    while words:
        word = words[-1]
        if (word[:1].isupper() and word.lower() not in {"the", "this"}) or (
            word in {"and", "of", "on", "for"} and run
        ):
            run.insert(0, words.pop())
        else:
            break
    while run and run[0].lower() in CONNECTORS:
        run.pop(0)
    return " ".join(run)


def _name_tail(text: str) -> str:
    words = re.split(r"(\s+)", text.lstrip())
    tokens = [w for w in words if w.strip()]
    if not tokens or tokens[0] not in NAME_TAIL_START:
        return ""
    taken: list[str] = []
    for token in tokens:
        bare = token.rstrip(",;:)(") if ABBREVIATION.match(token) else token.rstrip(",;:)(.")
        if not (bare[:1].isupper() or bare in NAME_CONNECTORS):
            break
        taken.append(bare)
        if bare != token:
            break
    while taken and taken[-1] in CONNECTORS:
        taken.pop()
    return " ".join(taken) if len(taken) > 1 else ""


def _office_and_organization(lines: list[str]) -> tuple[str | None, str | None]:
    if not lines:
        return None, None
    if (
        len(lines) == 1
        and ORGANIZATION_WORDS.search(lines[0])
        and not OFFICE_WORDS.search(lines[0])
    ):
        return None, lines[0]
    return lines[0], (lines[1] if len(lines) > 1 else None)


def _release(segments: Segments) -> ReleaseFacts:
    release = segments.release
    day = find_date(release.date.value) if release.date else None
    event = EVENT.search(segments.preface.value) if segments.preface else None
    event_name = event["event"] if event else None
    event_date = None
    if event_name and day is not None:
        found = find_day_in_year(event_name, int(str(day.literal)[:4]))
        if found is not None and found.start == 0:
            event_date = found.literal
            event_name = event_name[found.end :].strip()
    return ReleaseFacts(
        release_type=_title_case(release.release_type.value) if release.release_type else None,
        issuer=_title_case(release.issuer.value) if release.issuer else None,
        date=day.literal if day else None,
        event=event_name[:1].upper() + event_name[1:] if event_name else None,
        event_date=event_date,
    )


def _title_case(value: str) -> str:
    """'BUREAU OF OCEANS AND ...' as 'Bureau of Oceans and ...', 'WASHINGTON, D.C.' as
    'Washington, D.C.', 'MINISTRY OF SCIENCE AND ICT' as 'Ministry of Science and ICT'."""
    words = value.lower().split()
    return " ".join(
        w.upper()
        if "." in w.rstrip(".,")
        or w.strip(".,;:()").upper() in ACRONYMS
        or (w.startswith("(") and w.rstrip(".,;:").endswith(")"))
        else w
        if i and w in SMALL_WORDS
        else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )
