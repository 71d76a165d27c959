"""Every IRI the code spells lives here, so the vocabulary contract has one home."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

AK = Namespace("https://w3id.org/accordkg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/accordkg/ontology")
DEFAULT_BASE_IRI = "https://w3id.org/accordkg/id/"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
# Media types as IRIs, as DCAT 3 recommends for dcat:mediaType and dcat:compressFormat.
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"

# Datasets the graph links to with skos:exactMatch: their entity IRI spaces and homepages.
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
WIKIDATA_HOMEPAGE = URIRef("https://www.wikidata.org/")
ROR_ID = "https://ror.org/"
ROR_HOMEPAGE = URIRef("https://ror.org/")

# Mappings (SSSOM and the vocabulary of mapping justifications it uses) and link targets.
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
PAV = Namespace("http://purl.org/pav/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ROR = Namespace("https://ror.org/")

PREFIXES: dict[str, Namespace] = {
    "ak": AK,
    "dct": Namespace(str(DCTERMS)),
    "eli": ELI,
    "foaf": Namespace(str(FOAF)),
    "oa": OA,
    "org": ORG,
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": SCHEMA,
    "sh": Namespace(str(SH)),
    "skos": Namespace(str(SKOS)),
    "void": Namespace(str(VOID)),
    "xsd": Namespace(str(XSD)),
}
