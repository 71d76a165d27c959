"""The modality of a provision, phrase by phrase."""

import re

import pytest

from accordkg.extraction.modality import MODAL_LEXICON, modality
from tests.extraction.readings import assert_reading, ontology_scheme

MODALITY = [
    # obligation
    ("The Parties shall exchange information on research priorities.", "obligation", "shall"),
    (
        "The Parties shall not disclose confidential information received under this Agreement.",
        "obligation",
        "shall not",
    ),
    ("Each Party must designate a focal point within thirty days.", "obligation", "must"),
    ("The Parties must not use the data for commercial purposes.", "obligation", "must not"),
    (
        "The Parties are obliged to report annually to the Joint Committee.",
        "obligation",
        "are obliged to",
    ),
    ("Each Participant is required to submit an annual report.", "obligation", "is required to"),
    (
        "The Participants may not disclose the information to third parties.",
        "obligation",
        "may not",
    ),
    ("The Participants are not required to share unpublished data.", None, None),
    # undertaking
    ("We, the Leaders of the Group of Seven, will:", "undertaking", "will"),
    (
        "The Participants will not transfer personal data outside the programme.",
        "undertaking",
        "will not",
    ),
    ("This will require close coordination between agencies.", "undertaking", "will"),
    ("We commit to deepening our cooperation on AI safety.", "undertaking", "commit to"),
    (
        "The Parties are firmly committed to open and responsible science.",
        "undertaking",
        "are firmly committed to",
    ),
    ("The Parties undertake to notify each other of changes.", "undertaking", "undertake to"),
    ("The Participants agree to exchange scientists and engineers.", "undertaking", "agree to"),
    ("We resolve to strengthen our joint research capacity.", "undertaking", "resolve to"),
    ("We pledge to support the international network of institutes.", "undertaking", "pledge to"),
    ("The Participants decided to launch a joint call for proposals.", "undertaking", "decided to"),
    (
        "The two sides decided that the next meeting will be held in New Delhi in 2026.",
        "undertaking",
        "decided that",
    ),
    ("In May 2023 the Parties agreed to establish a joint committee.", "undertaking", "agreed to"),
    # intention
    ("The Participants intend to:", "intention", "intend to"),
    (
        "The Government of Ruritania intends to publish guidance on trustworthy AI research.",
        "intention",
        "intends to",
    ),
    (
        "Building on their agreement on science signed in 2017, the two Governments intend to "
        "advance a shared vision and work towards a common research ecosystem.",
        "intention",
        "intend to",
    ),
    (
        "The Participants intend to support projects that may include researcher exchanges.",
        "intention",
        "intend to",
    ),
    (
        "The Participants intend to exchange information and will report annually on progress.",
        "intention",
        "intend to",
    ),
    (
        "The Participants intend, subject to the availability of funds, to exchange researchers "
        "from May 2025.",
        "intention",
        "intend",
    ),
    ("The Participants plan to hold a workshop in 2025.", "intention", "plan to"),
    ("The agencies are planning to align their funding calls.", "intention", "are planning to"),
    (
        "The Participants expect to hold the first meeting by the end of the year.",
        "intention",
        "expect to",
    ),
    (
        "It is the intention of the Participants to hold a joint workshop each year.",
        "intention",
        "It is the intention",
    ),
    (
        "We, the Ministers, hereby declare our intention to establish a network of institutes.",
        "intention",
        "declare our intention to",
    ),
    # endeavour
    ("The Participants will endeavour to convene annually.", "endeavour", "will endeavour"),
    ("The Parties shall endeavor to settle any dispute amicably.", "endeavour", "shall endeavor"),
    ("The Participants will seek to identify joint opportunities.", "endeavour", "will seek"),
    (
        "The Participants will work towards common evaluation standards.",
        "endeavour",
        "will work towards",
    ),
    (
        "The Participants will make every effort to align their programmes.",
        "endeavour",
        "will make every effort",
    ),
    (
        "The Parties shall, where appropriate, endeavour to harmonise standards.",
        "endeavour",
        "shall, where appropriate, endeavour",
    ),
    ("The Participants endeavour to share data in a timely manner.", "endeavour", "endeavour to"),
    ("The Parties seek to increase the mobility of researchers.", "endeavour", "seek to"),
    (
        "The Sides are working towards a shared testing methodology.",
        "endeavour",
        "are working towards",
    ),
    ("We strive to ensure open access to publicly funded research.", "endeavour", "strive to"),
    ("Each Participant tries to accommodate the other's schedule.", "endeavour", "tries to"),
    ("The Parties aim to deepen cooperation in quantum computing.", "endeavour", "aim to"),
    ("We work toward a common understanding of AI risks.", "endeavour", "work toward"),
    (
        "The Participants use their best endeavours to resolve differences.",
        "endeavour",
        "use their best endeavours",
    ),
    (
        "The Participants make every effort to meet the agreed deadlines.",
        "endeavour",
        "make every effort",
    ),
    (
        "We will continue to work together towards safe and trustworthy AI.",
        "endeavour",
        "will continue to work together towards",
    ),
    # recommendation
    ("The Parties should exchange best practice on research security.", "recommendation", "should"),
    ("Data should not be retained longer than necessary.", "recommendation", "should not"),
    (
        "The Participants encourage their research agencies to cooperate.",
        "recommendation",
        "encourage",
    ),
    (
        "Universities are encouraged to establish joint doctoral programmes.",
        "recommendation",
        "encouraged",
    ),
    (
        "The Ministers recommend that funding agencies align their calls.",
        "recommendation",
        "recommend",
    ),
    ("We call upon all States to join this initiative.", "recommendation", "call upon"),
    ("The Leaders call on industry to share safety research.", "recommendation", "call on"),
    ("The Leaders called for stronger cooperation on AI safety.", "recommendation", "called for"),
    ("Calls for proposals will be issued jointly.", "undertaking", "will"),
    ("We invite other partners to join the network.", "recommendation", "invite"),
    ("We urge developers to publish their evaluation results.", "recommendation", "urge"),
    # permission
    ("Each Party may, as appropriate, designate a contact point.", "permission", "may"),
    ("The Participants may, where appropriate, invite observers.", "permission", "may"),
    ("THE PARTIES MAY AMEND THIS AGREEMENT BY MUTUAL WRITTEN CONSENT.", "permission", "MAY"),
    ("Cooperation under this Memorandum may include:", "permission", "may"),
    # the month "May"
    ("Signed on 5 May 2024 in two originals.", None, None),
    ("DONE AT OTTAWA ON 5 MAY 2024.", None, None),
    # nouns that look like verbs
    ("Sustained political will and goodwill on both sides underpin this partnership.", None, None),
    ("The political will of the Parties remains strong.", None, None),
    (
        "Under the joint action plan to strengthen research security, the Participants intend "
        "to exchange best practice.",
        "intention",
        "intend to",
    ),
    (
        "With the aim of promoting open science, the Participants will share research data.",
        "undertaking",
        "will",
    ),
    (
        "In pursuit of their shared aims, the Sides commit to closer cooperation.",
        "undertaking",
        "commit to",
    ),
    ("The commitments of the Participants are set out in the Annex.", None, None),
    ("The Participants' plans to expand the programme are described in the Annex.", None, None),
    ("The invited experts will attend as observers.", "undertaking", "will"),
    # the verb that governs, not one in a subordinate clause before or after it
    (
        "Where it may be appropriate, the Parties shall consult independent experts.",
        "obligation",
        "shall",
    ),
    ("The Parties shall meet annually or as may be agreed.", "obligation", "shall"),
    (
        "A Participant that wishes to withdraw should give six months' written notice.",
        "recommendation",
        "should",
    ),
    (
        "Projects which may be funded under this Memorandum shall be selected jointly.",
        "obligation",
        "shall",
    ),
    (
        "Information that is exchanged under this Memorandum shall be used only for research.",
        "obligation",
        "shall",
    ),
    (
        "Should a Party wish to withdraw, it shall notify the other Party in writing.",
        "obligation",
        "shall",
    ),
    ("Recognising that Parties should share best practice;", None, None),
    (
        "Recognising that Parties should share best practice, the Participants will establish "
        "a forum.",
        "undertaking",
        "will",
    ),
    ("The Participants agree that cooperation should be based on reciprocity.", None, None),
    (
        "The Party or Parties concerned, as the case may be, shall inform the Committee.",
        "obligation",
        "shall",
    ),
    ("The Participants as well as the Agency will contribute experts.", "undertaking", "will"),
    ("The Parties hereby agree as follows:", None, None),
    (
        "If a Party withdraws from a project, that Party shall bear its own costs.",
        "obligation",
        "shall",
    ),
    (
        "The Participants reaffirm that research security should be proportionate.",
        None,
        None,
    ),
    (
        "In order to encourage mobility, the Parties will simplify visa procedures.",
        "undertaking",
        "will",
    ),
    (
        "Encouraged by the progress achieved, the Parties will continue their dialogue.",
        "undertaking",
        "will",
    ),
    ('The term "shall" as used in this Agreement denotes a binding duty.', None, None),
    # items without a modal of their own: the caller reads the lead-in
    ("Promoting research and development in trustworthy AI;", None, None),
    ("Encouraging researchers to collaborate across borders;", None, None),
    ("(b) exchange researchers and students;", None, None),
    ("Recalling the commitments made at the Seoul Summit;", None, None),
    # a negation about legal status is legal_status's, not a modality
    ("This Memorandum is not intended to create legal obligations.", None, None),
    ("The Participants do not intend this MoU to be legally binding.", None, None),
    ("This Agreement shall be legally binding on the Parties.", None, None),
    ("It is not intended that this Memorandum create legally binding obligations.", None, None),
    (
        "This Memorandum is not legally binding. The Participants will meet once a year.",
        "undertaking",
        "will",
    ),
]


@pytest.mark.parametrize(("text", "expected", "quote"), MODALITY)
def test_modality(text: str, expected: str | None, quote: str | None) -> None:
    assert_reading(modality(text), text, expected, quote)


@pytest.mark.parametrize(("value", "phrase", "homograph"), MODAL_LEXICON)
def test_every_lexicon_entry_is_in_the_table(
    value: str, phrase: str, homograph: str | None
) -> None:
    """A row of the lexicon that no phrase above reads is a row nobody has checked."""
    pattern = re.compile(phrase, re.IGNORECASE)
    assert any(
        expected == value and quote is not None and pattern.fullmatch(quote)
        for _, expected, quote in MODALITY
    ), f"no phrase in the modality table is read by {phrase!r}"


def test_modalities_are_the_ontology_scheme() -> None:
    """Every modality the rule returns names a concept of the ontology's scheme, and every
    concept of the scheme can be read."""
    assert {value for value, _, _ in MODAL_LEXICON} == ontology_scheme("modalityScheme")
