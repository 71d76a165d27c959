"""States and organisations by the names instruments print them under."""

import pycountry
import pytest

from accordkg.extraction.gazetteer import KNOWN_PARTIES, find_party, split_party_list


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # official names, with the leading "the" instruments print
        ("the United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("the Republic of Korea", "KOR"),
        ("the French Republic", "FRA"),
        ("the Federal Republic of Germany", "DEU"),
        ("the People's Republic of China", "CHN"),
        ("the People\u2019s Republic of China", "CHN"),
        ("the Socialist Republic of Viet Nam", "VNM"),
        ("the Kingdom of the Netherlands", "NLD"),
        ("the United States of America", "USA"),
        ("the Italian Republic", "ITA"),
        ("the Hellenic Republic", "GRC"),
        ("the Kingdom of Spain", "ESP"),
        ("the Grand Duchy of Luxembourg", "LUX"),
        ("the State of Israel", "ISR"),
        ("the Swiss Confederation", "CHE"),
        ("the Commonwealth of Australia", "AUS"),
        ("the Republic of the Philippines", "PHL"),
        # short names
        ("Japan", "JPN"),
        ("Germany", "DEU"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Czechia", "CZE"),
        ("the Czech Republic", "CZE"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Russia", "RUS"),
        ("the Russian Federation", "RUS"),
        ("Iran", "IRN"),
        ("United Arab Emirates", "ARE"),
        ("Canada", "CAN"),
        ("India", "IND"),
        ("Brazil", "BRA"),
        ("Singapore", "SGP"),
        ("New Zealand", "NZL"),
        ("Namibia", "NAM"),
        ("the Holy See", "VAT"),
        ("the State of Palestine", "PSE"),
        ("Democratic Republic of the Congo", "COD"),
        ("the Republic of the Congo", "COG"),
        ("Guinea-Bissau", "GNB"),
        ("Guinea Bissau", "GNB"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d\u2019Ivoire", "CIV"),
        ("St. Lucia", "LCA"),
        ("Trinidad & Tobago", "TTO"),
        # ISO's inverted forms, with a comma or (UN style) in parentheses
        ("Korea, Republic of", "KOR"),
        ("Korea, Democratic People's Republic of", "PRK"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Congo, The Democratic Republic of the", "COD"),
        # case, as capitals headers print it
        ("UNITED STATES OF AMERICA", "USA"),
        ("THE REPUBLIC OF KOREA", "KOR"),
        ("japan", "JPN"),
        # abbreviations, dots and spaces optional, in capitals
        ("U.S.", "USA"),
        ("the U.S.", "USA"),
        ("US", "USA"),
        ("USA", "USA"),
        ("U.S.A.", "USA"),
        ("U. S.", "USA"),
        ("the United States", "USA"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("the United Kingdom", "GBR"),
        ("Great Britain", "GBR"),
        ("UAE", "ARE"),
        ("the PRC", "CHN"),
        ("the DPRK", "PRK"),
        ("ROK", "KOR"),
        # the Government form
        ("the Government of Canada", "CAN"),
        ("The Government of the Republic of Singapore", "SGP"),
        ("the Government of the United States of America", "USA"),
        ("GOVERNMENT OF THE FRENCH REPUBLIC", "FRA"),
        ("the Federal Government of Germany", "DEU"),
        ("His Majesty's Government in the United Kingdom", "GBR"),
        ("the UK Government", "GBR"),
        ("the Government of Japan", "JPN"),
        # organisations
        ("the European Union", "EU"),
        ("EU", "EU"),
        ("the E.U.", "EU"),
        ("the European Commission", "EC"),
        ("the United Nations", "UN"),
        ("UN", "UN"),
        ("UNESCO", "UNESCO"),
        ("the United Nations Educational, Scientific and Cultural Organization", "UNESCO"),
        ("the Organisation for Economic Co-operation and Development", "OECD"),
        ("the Organization for Economic Cooperation and Development", "OECD"),
        ("OECD", "OECD"),
        ("the African Union", "AU"),
        ("the Association of South-East Asian Nations", "ASEAN"),
        ("ASEAN", "ASEAN"),
        ("the Council of Europe", "COE"),
        ("NATO", "NATO"),
        ("the World Health Organisation", "WHO"),
        ("WHO", "WHO"),
        ("the International Telecommunication Union", "ITU"),
        ("the World Bank", "WB"),
        ("the Global Partnership on Artificial Intelligence", "GPAI"),
        ("GPAI", "GPAI"),
        # ambiguous: two states share the name
        ("Korea", None),
        ("KOREA", None),
        ("Congo", None),
        # bodies whose names contain a state's
        ("the National Research Foundation of Korea", None),
        ("the Department of Science and Technology of the Republic of the Philippines", None),
        ("UK Research and Innovation", None),
        ("Embassy of France", None),
        ("the Ministry of Foreign Affairs of Japan", None),
        ("the U.S. National Science Foundation", None),
        ("the Governments of Japan and Canada", None),
        ("the European Union and its Member States", None),
        ("the Council of the European Union", None),
        ("the European Council", None),
        # not states, or not parties at all
        ("the State of Mexico", None),
        ("the Republic of China", None),
        ("Hong Kong", None),
        ("Taiwan", None),
        ("Puerto Rico", None),
        ("Northern Ireland", None),
        ("G7", None),
        ("the Group of Twenty", None),
        ("the Government", None),
        ("us", None),
        ("who", None),
        ("", None),
    ],
)
def test_find_party(name: str, expected: str | None) -> None:
    found = find_party(name)
    assert (found.key if found else None) == expected


EU_MEMBER_STATES = [
    ("the Republic of Austria", "AUT"),
    ("the Kingdom of Belgium", "BEL"),
    ("Bulgaria", "BGR"),
    ("the Republic of Croatia", "HRV"),
    ("the Republic of Cyprus", "CYP"),
    ("Czechia", "CZE"),
    ("the Kingdom of Denmark", "DNK"),
    ("Estonia", "EST"),
    ("the Republic of Finland", "FIN"),
    ("France", "FRA"),
    ("Germany", "DEU"),
    ("Greece", "GRC"),
    ("Hungary", "HUN"),
    ("Ireland", "IRL"),
    ("Italy", "ITA"),
    ("the Republic of Latvia", "LVA"),
    ("Lithuania", "LTU"),
    ("Luxembourg", "LUX"),
    ("Malta", "MLT"),
    ("the Netherlands", "NLD"),
    ("the Republic of Poland", "POL"),
    ("the Portuguese Republic", "PRT"),
    ("Romania", "ROU"),
    ("the Slovak Republic", "SVK"),
    ("Slovenia", "SVN"),
    ("Spain", "ESP"),
    ("the Kingdom of Sweden", "SWE"),
]
G7_MEMBERS = [
    ("Canada", "CAN"),
    ("the French Republic", "FRA"),
    ("the Federal Republic of Germany", "DEU"),
    ("the Italian Republic", "ITA"),
    ("Japan", "JPN"),
    ("the United Kingdom", "GBR"),
    ("the United States", "USA"),
]


@pytest.mark.parametrize(("name", "expected"), [*EU_MEMBER_STATES, *G7_MEMBERS])
def test_eu_and_g7_members(name: str, expected: str) -> None:
    found = find_party(name)
    assert found is not None
    assert (found.kind, found.key) == ("state", expected)


def test_all_eu_member_states_are_listed() -> None:
    assert len({code for _, code in EU_MEMBER_STATES}) == 27


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("the Republic of Korea", ("KR", "KOR", "410")),
        ("the United Kingdom of Great Britain and Northern Ireland", ("GB", "GBR", "826")),
        ("the United States of America", ("US", "USA", "840")),
        ("the Federal Republic of Germany", ("DE", "DEU", "276")),
        ("Namibia", ("NA", "NAM", "516")),  # "NA" is a code, not a missing value
        ("Japan", ("JP", "JPN", "392")),
    ],
)
def test_iso_codes(name: str, codes: tuple[str, str, str]) -> None:
    found = find_party(name)
    assert found is not None
    assert (found.alpha2, found.alpha3, found.numeric) == codes


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("South Korea", "Republic of Korea"),  # ISO's "Korea, Republic of" turned around
        ("Vietnam", "Viet Nam"),  # the ISO short name, not the common one
        ("the United States of America", "United States"),  # the ISO short name
        ("the United Kingdom of Great Britain and Northern Ireland", "United Kingdom"),
        ("Congo, The Democratic Republic of the", "Democratic Republic of the Congo"),
        ("the Federated States of Micronesia", "Federated States of Micronesia"),
        ("Palestine", "State of Palestine"),
        ("Holy See", "Holy See"),  # "Holy See (Vatican City State)" without its parenthesis
        ("the Republic of the Congo", "Republic of the Congo"),  # its short name is shared
        ("Türkiye", "Türkiye"),
        ("the OECD", "Organisation for Economic Co-operation and Development"),
    ],
)
def test_labels(name: str, label: str) -> None:
    found = find_party(name)
    assert found is not None
    assert found.name == label


def test_states_are_un_members_and_observers() -> None:
    states = [party for party in KNOWN_PARTIES if party.kind == "state"]
    assert len(states) == 193 + 2
    assert all(party.alpha3 == party.key for party in states)
    assert not [party for party in KNOWN_PARTIES if party.kind == "organization" and party.alpha3]


def test_every_label_names_its_party() -> None:
    assert [party for party in KNOWN_PARTIES if find_party(party.name) is not party] == []


def test_every_iso_name_of_a_state_is_read() -> None:
    unread = []
    for party in KNOWN_PARTIES:
        country = pycountry.countries.get(alpha_3=party.key)
        if country is None:
            continue
        for field in ("name", "official_name", "common_name"):
            name = getattr(country, field, None)
            if name is not None and find_party(name) is not party:
                unread.append(name)
    assert unread == ["Congo"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Australia, Brazil, Canada, France, Japan, the United States of America and the "
            "European Union.",
            [
                "Australia",
                "Brazil",
                "Canada",
                "France",
                "Japan",
                "the United States of America",
                "the European Union",
            ],
        ),
        (
            "Albania, Bosnia and Herzegovina, Trinidad and Tobago and Antigua and Barbuda",
            ["Albania", "Bosnia and Herzegovina", "Trinidad and Tobago", "Antigua and Barbuda"],
        ),
        (
            "Saint Kitts and Nevis, Saint Vincent and the Grenadines, and the United Kingdom "
            "of Great Britain and Northern Ireland",
            [
                "Saint Kitts and Nevis",
                "Saint Vincent and the Grenadines",
                "the United Kingdom of Great Britain and Northern Ireland",
            ],
        ),
        (
            "the United Kingdom of Great Britain and Northern Ireland and the United States",
            ["the United Kingdom of Great Britain and Northern Ireland", "the United States"],
        ),
        ("Korea, Republic of; Japan; Viet Nam", ["Korea, Republic of", "Japan", "Viet Nam"]),
        ("Canada; France; and Italy.", ["Canada", "France", "Italy"]),
        (
            "- Australia\n- Canada\n- the European Union\n",
            ["Australia", "Canada", "the European Union"],
        ),
        (
            "\u2022 Japan;\n\u2022 Korea, Republic of; and\n\u2022 the U.S.",
            ["Japan", "Korea, Republic of", "the U.S."],
        ),
        ("1. India\n2. Kenya\n3. Chile", ["India", "Kenya", "Chile"]),
        ("Canada\nand the OECD", ["Canada", "the OECD"]),
        ("Canada as well as the OECD", ["Canada", "the OECD"]),
        (
            "the Government of Japan and the Government of the Republic of Korea",
            ["the Government of Japan", "the Government of the Republic of Korea"],
        ),
        (
            "the National Science Foundation and UK Research and Innovation",
            ["the National Science Foundation", "UK Research and Innovation"],
        ),
        (
            "the Department of Science and Technology of the Republic of the Philippines and "
            "the National Research Foundation of Korea",
            [
                "the Department of Science and Technology of the Republic of the Philippines",
                "the National Research Foundation of Korea",
            ],
        ),
        ("Xanadu, Freedonia and Japan", ["Xanadu", "Freedonia", "Japan"]),
        ("Japan and Korea", ["Japan", "Korea"]),
        (
            "the United Nations Educational, Scientific and Cultural Organization and the OECD",
            ["the United Nations Educational, Scientific and Cultural Organization", "the OECD"],
        ),
        (
            'France, Germany (hereinafter, "the Partners"), and Italy',
            ["France", 'Germany (hereinafter, "the Partners")', "Italy"],
        ),
        (
            "UNITED STATES OF AMERICA AND UNITED KINGDOM",
            ["UNITED STATES OF AMERICA", "UNITED KINGDOM"],
        ),
        (
            "Norway and the European Union and its Member States",
            ["Norway", "the European Union and its Member States"],
        ),
        ("Trinidad & Tobago and the E.U.", ["Trinidad & Tobago", "the E.U."]),
        ("Japan", ["Japan"]),
        ("", []),
    ],
)
def test_split_party_list(text: str, names: list[str]) -> None:
    assert [text[start:end] for start, end in split_party_list(text)] == names
