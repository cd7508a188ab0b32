"""Build a synthetic FaceLedger database at scale: a million customers and a million deployments.

Usage: PYTHONPATH=app python benchmarks/synthetic.py [OUT.db] [--customers N] [--deployments N] [--seed S]

The rows have the columns `faceledger.data.schema` declares (a column the generator does not fill
gets its declared default) and are written by the build's own writer (`db/writer.py`), so the
schema, indexes, full-text search tables, statistics and manifest are those of the real build.
The text is made to search like the real thing: agency names in several languages ("Springfield
Police Department", "Kantonspolizei Zürich", "Société de sécurité de Besançon"), with diacritics,
common words ("police") and rare ones (invented place names), so 3–5 character search terms hit
anything from none to hundreds of thousands of rows. Deterministic: the same seed and sizes give
the same database. Never writes inside the repository (default /tmp/faceledger-1m.db).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import sys
import time
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "app")]

from db import writer  # noqa: E402
from db.collection import slug  # noqa: E402
from db.rows import count_display  # noqa: E402

from faceledger.data import schema  # noqa: E402
from faceledger.data.entities import KNOWN_CUSTOMERS, KNOWN_EVENTS, SECTOR_OF_TYPE  # noqa: E402

DEFAULT_OUT = Path("/tmp/faceledger-1m.db")
DATASET = "synthetic-benchmark"
SOURCE_COUNT = 5_000
VENDOR_COUNT = 300
EVENT_COUNT = 10_000
STUDY_COUNT = 60
FIGURES_PER_STUDY = 100
COUNT_COUNT = 2_000

# -- vocabulary ---------------------------------------------------------------------------------
EN_PREFIX = (
    "Spring Green Oak River Maple Fair Lake Wood Ash Clear Stone Bright Elm Pine Cedar Willow Rose Silver "
    "Gold Iron Red White Black Brook Hill Glen Mill Bay Sun Frost Rock Sand Marsh Wolf Bear Fox Hawk Eagle "
    "Deer Mid Bel Cam Ches Dor Ken Lan Mar Nor Rich Shel Ty Wes Ab Brad Carl Dan Ed Fran Gil Hamp Wil"
).split()
EN_SUFFIX = (
    "field ville ton burg wood dale ford port view haven mont land side brook chester bury wick ham "
    "stead worth ridge crest springs falls grove city town hurst borough ley mouth"
).split()
EN_QUALIFIER = (
    "",
    "",
    "",
    "",
    "North ",
    "South ",
    "East ",
    "West ",
    "New ",
    "Port ",
    "Lake ",
    "Mount ",
    "Fort ",
)
SYLLABLES = (
    "ka lo mi ra tu ve zan dor bel qui xo ny ar el os um ith gra pel tor vin sko bra dre ul ya zeb kor "
    "mun fra gla hov jen lut nak orb pim rud sav tev uzo wim yor zul cha ghe khr tsu"
).split()
SURNAMES = (
    "Müller Schröder Weiß Köhler Lefèvre Dubois Moreau Bélanger Gagnon Côté García Martínez Núñez "
    "Peña Ibáñez Silva Conceição Gonçalves Rossi Bianchi Ricci Kowalski Wiśniewski Nowak Dvořák "
    "Novák Andersson Nyström Østergaard Jensen Smith Johnson Williams Brown Jones Miller Davis Wilson "
    "Anderson Taylor Thomas Moore Jackson Martin Lee Thompson Harris Clark Lewis Walker O'Brien"
).split()

US_STATES = (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii "
    "Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan "
    "Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee "
    "Texas Utah Vermont Virginia Washington Wisconsin Wyoming"
).split() + ["New York", "New Jersey", "New Mexico", "North Carolina", "South Carolina", "West Virginia"]

# country code -> (name, language, weight, regions, cities)
COUNTRIES: dict[str, tuple[str, str, float, Sequence[str], Sequence[str]]] = {
    "US": ("United States", "en", 45, US_STATES, ()),
    "GB": (
        "United Kingdom",
        "en",
        7,
        ("England", "Scotland", "Wales", "Northern Ireland"),
        (
            "London",
            "Manchester",
            "Leeds",
            "Bristol",
            "Cardiff",
            "Glasgow",
            "Belfast",
            "Sheffield",
            "Leicester",
        ),
    ),
    "CA": (
        "Canada",
        "en",
        4,
        ("Ontario", "Québec", "British Columbia", "Alberta", "Manitoba", "Nova Scotia"),
        ("Toronto", "Montréal", "Vancouver", "Calgary", "Québec City", "Trois-Rivières", "Winnipeg"),
    ),
    "AU": (
        "Australia",
        "en",
        3,
        ("New South Wales", "Victoria", "Queensland", "Western Australia", "Tasmania"),
        ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart", "Wollongong"),
    ),
    "DE": (
        "Germany",
        "de",
        6,
        ("Bayern", "Baden-Württemberg", "Nordrhein-Westfalen", "Thüringen", "Sachsen", "Hessen", "Berlin"),
        (
            "München",
            "Köln",
            "Düsseldorf",
            "Nürnberg",
            "Würzburg",
            "Lübeck",
            "Göttingen",
            "Saarbrücken",
            "Berlin",
        ),
    ),
    "AT": (
        "Austria",
        "de",
        1,
        ("Wien", "Tirol", "Kärnten", "Steiermark"),
        ("Wien", "Graz", "Linz", "Innsbruck"),
    ),
    "CH": (
        "Switzerland",
        "de",
        1.5,
        ("Zürich", "Genève", "Graubünden", "Neuchâtel", "Bern", "Ticino"),
        ("Zürich", "Genève", "Bern", "Basel", "Lausanne", "Neuchâtel", "Lugano", "Zug"),
    ),
    "FR": (
        "France",
        "fr",
        6,
        (
            "Île-de-France",
            "Provence-Alpes-Côte d'Azur",
            "Auvergne-Rhône-Alpes",
            "Bourgogne-Franche-Comté",
            "Bretagne",
        ),
        (
            "Paris",
            "Besançon",
            "Orléans",
            "Nîmes",
            "Angoulême",
            "Béziers",
            "Valence",
            "Sète",
            "Lyon",
            "Marseille",
        ),
    ),
    "BE": (
        "Belgium",
        "fr",
        1,
        ("Wallonie", "Bruxelles-Capitale"),
        ("Liège", "Namur", "Charleroi", "Bruxelles"),
    ),
    "ES": (
        "Spain",
        "es",
        3,
        ("Cataluña", "Andalucía", "Castilla y León", "País Vasco", "Región de Murcia"),
        ("Madrid", "Málaga", "Córdoba", "Cádiz", "León", "Logroño", "Alcalá de Henares", "Sevilla"),
    ),
    "MX": (
        "Mexico",
        "es",
        2,
        ("Nuevo León", "Yucatán", "Michoacán", "Jalisco"),
        ("Ciudad de México", "Mérida", "Querétaro", "Monterrey", "Mazatlán", "León"),
    ),
    "AR": ("Argentina", "es", 1, ("Córdoba", "Tucumán", "Neuquén"), ("Buenos Aires", "Rosario", "Mendoza")),
    "BR": (
        "Brazil",
        "pt",
        4,
        ("São Paulo", "Paraná", "Maranhão", "Goiás", "Ceará", "Pará"),
        ("São Paulo", "Goiânia", "Belém", "São Luís", "Florianópolis", "Maceió", "Niterói"),
    ),
    "PT": ("Portugal", "pt", 0.5, ("Lisboa", "Porto", "Açores"), ("Lisboa", "Porto", "Évora", "Setúbal")),
    "IT": (
        "Italy",
        "it",
        3,
        ("Lombardia", "Piemonte", "Emilia-Romagna", "Valle d'Aosta", "Sicilia"),
        ("Milano", "Torino", "Forlì", "Cantù", "Bologna", "Palermo", "Napoli"),
    ),
    "PL": (
        "Poland",
        "pl",
        2,
        ("Mazowieckie", "Małopolskie", "Łódzkie", "Śląskie"),
        ("Warszawa", "Kraków", "Łódź", "Gdańsk", "Wrocław", "Poznań", "Toruń"),
    ),
    "SE": (
        "Sweden",
        "sv",
        1,
        ("Stockholm", "Västra Götaland", "Skåne"),
        ("Göteborg", "Malmö", "Örebro", "Västerås"),
    ),
    "NL": (
        "Netherlands",
        "nl",
        2,
        ("Noord-Holland", "Zuid-Holland", "Utrecht"),
        ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven"),
    ),
    "IN": (
        "India",
        "en",
        3,
        ("Telangana", "Maharashtra", "Delhi", "Tamil Nadu", "Uttar Pradesh"),
        ("Hyderabad", "Mumbai", "Delhi", "Chennai", "Lucknow", "Pune"),
    ),
    "ZA": (
        "South Africa",
        "en",
        1,
        ("Gauteng", "Western Cape", "KwaZulu-Natal"),
        ("Johannesburg", "Cape Town", "Durban", "Pretoria"),
    ),
    "": ("", "en", 3, ("",), ()),
}

# customer type -> weight
TYPE_WEIGHTS = {
    "local police": 30,
    "sheriff": 10,
    "state police": 3,
    "regional police force": 5,
    "national police": 1,
    "federal agency": 3,
    "national government": 2,
    "supranational agency": 0.1,
    "prosecutor": 5,
    "corrections": 5,
    "military": 1,
    "local government": 10,
    "state government": 3,
    "private company": 9,
    "education": 5,
    "other": 8,
}

# (language, type) -> name templates; {p} place, {r} region, {s} surname, {c} country name
NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "local police": ("{p} Police Department", "{p} Police Department", "{p} Police", "{p} City Police"),
        "sheriff": (
            "{p} County Sheriff's Office",
            "{p} County Sheriff's Department",
            "{p} Parish Sheriff's Office",
        ),
        "state police": ("{r} State Police", "{r} Highway Patrol", "{r} Department of Public Safety"),
        "regional police force": ("{p} Constabulary", "{p} Regional Police Service", "{r} Police"),
        "national police": ("{c} National Police — {p} Command", "Federal Police Service — {p}"),
        "federal agency": (
            "Federal Bureau of Investigation — {p} Field Office",
            "Customs and Border Protection — {p} Port of Entry",
            "Immigration Enforcement — {p} Office",
            "Drug Enforcement Administration — {p} Division",
            "Marshals Service — District of {r}",
        ),
        "national government": ("Home Office — {p} Unit", "Ministry of the Interior — {p} Directorate"),
        "supranational agency": ("Europol liaison office {p}", "Interpol National Central Bureau {p}"),
        "prosecutor": (
            "{p} County District Attorney's Office",
            "{p} State Attorney's Office",
            "Office of the Prosecutor, {p}",
        ),
        "corrections": ("{r} Department of Corrections", "{p} County Jail", "{p} Correctional Facility"),
        "military": ("{p} Air Force Base Security Forces", "Army Criminal Investigation Division — {p}"),
        "local government": ("City of {p}", "{p} City Council", "Town of {p}", "{p} Borough Council"),
        "state government": (
            "{r} Department of Motor Vehicles",
            "{r} Department of Revenue",
            "{r} Fusion Center",
        ),
        "private company": (
            "{p} Retail Security LLC",
            "{s} & Sons Security",
            "{p} Mall Management Inc.",
            "{s} Investigations Ltd",
        ),
        "education": ("{p} Unified School District", "University of {p}", "{p} Community College"),
        "other": (
            "{p} Transit Authority",
            "{p} International Airport",
            "{p} Housing Authority",
            "{p} Stadium Authority",
        ),
    },
    "de": {
        "local police": (
            "Polizeipräsidium {p}",
            "Stadtpolizei {p}",
            "Polizeidirektion {p}",
            "Polizeiinspektion {p}",
        ),
        "sheriff": ("Kreispolizeibehörde {p}",),
        "state police": ("Landeskriminalamt {r}", "Landespolizei {r}"),
        "regional police force": ("Kantonspolizei {r}", "Bereitschaftspolizei {r}"),
        "national police": ("Bundespolizei — Direktion {p}", "Bundeskriminalamt"),
        "federal agency": ("Bundesamt für Verfassungsschutz — {p}", "Zollfahndungsamt {p}"),
        "national government": ("Bundesministerium des Innern — Referat {p}",),
        "supranational agency": ("Europol-Verbindungsbüro {p}",),
        "prosecutor": ("Staatsanwaltschaft {p}", "Generalstaatsanwaltschaft {r}"),
        "corrections": ("Justizvollzugsanstalt {p}",),
        "military": ("Feldjäger {p}",),
        "local government": ("Stadt {p}", "Gemeinde {p}", "Landratsamt {p}"),
        "state government": ("Innenministerium {r}",),
        "private company": ("{s} Sicherheitsdienst GmbH", "{s} Objektschutz GmbH", "Sicherheit {p} AG"),
        "education": ("Universität {p}", "Technische Hochschule {p}"),
        "other": ("Flughafen {p}", "Verkehrsbetriebe {p}", "Stadion {p} GmbH"),
    },
    "fr": {
        "local police": (
            "Police municipale de {p}",
            "Commissariat de police de {p}",
            "Direction départementale de la sécurité publique — {p}",
        ),
        "sheriff": ("Gendarmerie — brigade de {p}",),
        "state police": ("Gendarmerie nationale — région {r}",),
        "regional police force": ("Gendarmerie nationale — groupement de {p}", "Police régionale {r}"),
        "national police": ("Police nationale — {p}", "Direction générale de la sécurité intérieure"),
        "federal agency": ("Douane française — {p}", "Office central de lutte contre la criminalité — {p}"),
        "national government": ("Ministère de l'Intérieur — préfecture de {p}",),
        "supranational agency": ("Bureau de liaison Europol — {p}",),
        "prosecutor": ("Parquet de {p}", "Tribunal judiciaire de {p}"),
        "corrections": ("Maison d'arrêt de {p}", "Centre pénitentiaire de {p}"),
        "military": ("Gendarmerie de l'air — {p}",),
        "local government": ("Mairie de {p}", "Ville de {p}", "Métropole de {p}"),
        "state government": ("Conseil régional {r}",),
        "private company": (
            "Société de sécurité de {p}",
            "Société {s} Surveillance SA",
            "{s} et Fils Sécurité",
        ),
        "education": ("Université de {p}", "Lycée {s} de {p}"),
        "other": ("Aéroport de {p}", "Régie des transports de {p}", "Stade de {p}"),
    },
    "es": {
        "local police": ("Policía Local de {p}", "Policía Municipal de {p}"),
        "sheriff": ("Guardia Civil — Puesto de {p}",),
        "state police": ("Policía Autonómica de {r}", "Mossos d'Esquadra — {p}"),
        "regional police force": ("Guardia Civil — Comandancia de {p}",),
        "national police": ("Policía Nacional — Comisaría de {p}",),
        "federal agency": ("Agencia Tributaria — {p}", "Fiscalía General — {p}"),
        "national government": ("Ministerio del Interior — Subdelegación de {p}",),
        "supranational agency": ("Oficina de enlace de Europol — {p}",),
        "prosecutor": ("Fiscalía Provincial de {p}", "Fiscalía de {r}"),
        "corrections": ("Centro Penitenciario {p}",),
        "military": ("Policía Militar — {p}",),
        "local government": ("Ayuntamiento de {p}", "Municipio de {p}"),
        "state government": ("Gobierno de {r}",),
        "private company": ("Seguridad Privada {p} S.A.", "{s} Vigilancia S.L."),
        "education": ("Universidad de {p}", "Colegio {s}"),
        "other": ("Aeropuerto de {p}", "Metro de {p}", "Estadio de {p}"),
    },
    "pt": {
        "local police": ("Guarda Municipal de {p}", "Polícia Municipal de {p}"),
        "sheriff": ("Delegacia de Polícia de {p}",),
        "state police": ("Polícia Militar de {r}", "Polícia Civil de {r}"),
        "regional police force": ("Polícia Civil — Regional de {p}",),
        "national police": ("Polícia Federal — Superintendência de {r}",),
        "federal agency": ("Receita Federal — {p}",),
        "national government": ("Ministério da Justiça — {p}",),
        "supranational agency": ("Escritório de ligação da Interpol — {p}",),
        "prosecutor": ("Ministério Público de {r}",),
        "corrections": ("Penitenciária de {p}",),
        "military": ("Polícia do Exército — {p}",),
        "local government": ("Prefeitura de {p}", "Câmara Municipal de {p}"),
        "state government": ("Secretaria de Segurança Pública de {r}",),
        "private company": ("{s} Segurança Ltda.", "Vigilância {p} S.A."),
        "education": ("Universidade de {p}", "Escola Estadual {s}"),
        "other": ("Aeroporto de {p}", "Metrô de {p}", "Estádio de {p}"),
    },
    "it": {
        "local police": ("Polizia Locale di {p}", "Questura di {p}"),
        "sheriff": ("Carabinieri — Stazione di {p}",),
        "state police": ("Polizia di Stato — {r}",),
        "regional police force": ("Carabinieri — Comando provinciale di {p}",),
        "national police": ("Polizia di Stato — Direzione centrale",),
        "federal agency": ("Guardia di Finanza — {p}",),
        "national government": ("Ministero dell'Interno — Prefettura di {p}",),
        "supranational agency": ("Ufficio di collegamento Europol — {p}",),
        "prosecutor": ("Procura della Repubblica di {p}",),
        "corrections": ("Casa circondariale di {p}",),
        "military": ("Polizia militare — {p}",),
        "local government": ("Comune di {p}",),
        "state government": ("Regione {r}",),
        "private company": ("Vigilanza {s} S.r.l.", "Sicurezza {p} S.p.A."),
        "education": ("Università di {p}", "Politecnico di {p}"),
        "other": ("Aeroporto di {p}", "Stadio di {p}"),
    },
    "pl": {
        "local police": ("Komenda Miejska Policji w {p}", "Straż Miejska w {p}"),
        "sheriff": ("Komisariat Policji w {p}",),
        "state police": ("Komenda Wojewódzka Policji — {r}",),
        "regional police force": ("Komenda Powiatowa Policji w {p}",),
        "national police": ("Komenda Główna Policji",),
        "federal agency": ("Straż Graniczna — {p}", "Centralne Biuro Śledcze — {p}"),
        "national government": ("Ministerstwo Spraw Wewnętrznych — {p}",),
        "supranational agency": ("Biuro łącznikowe Europolu — {p}",),
        "prosecutor": ("Prokuratura Okręgowa w {p}",),
        "corrections": ("Zakład Karny w {p}",),
        "military": ("Żandarmeria Wojskowa — {p}",),
        "local government": ("Urząd Miasta {p}",),
        "state government": ("Urząd Wojewódzki — {r}",),
        "private company": ("{s} Ochrona Sp. z o.o.",),
        "education": ("Uniwersytet w {p}", "Politechnika {p}"),
        "other": ("Port Lotniczy {p}", "Stadion Miejski w {p}"),
    },
    "sv": {
        "local police": ("Polisen — {p}", "Polisområde {p}"),
        "sheriff": ("Polisstation {p}",),
        "state police": ("Polisregion {r}",),
        "regional police force": ("Polisregion {r}",),
        "national police": ("Polismyndigheten — Nationella operativa avdelningen",),
        "federal agency": ("Tullverket — {p}",),
        "national government": ("Justitiedepartementet — {p}",),
        "supranational agency": ("Europols sambandskontor — {p}",),
        "prosecutor": ("Åklagarmyndigheten — {p}",),
        "corrections": ("Kriminalvården — anstalt {p}",),
        "military": ("Militärpolisen — {p}",),
        "local government": ("{p} kommun",),
        "state government": ("Länsstyrelsen {r}",),
        "private company": ("{s} Säkerhet AB",),
        "education": ("{p} universitet",),
        "other": ("{p} flygplats", "{p} lokaltrafik"),
    },
    "nl": {
        "local police": ("Politie {p}", "Politie eenheid {r} — {p}"),
        "sheriff": ("Politiebureau {p}",),
        "state police": ("Politie eenheid {r}",),
        "regional police force": ("Politie eenheid {r}",),
        "national police": ("Nationale Politie — {p}",),
        "federal agency": ("Koninklijke Marechaussee — {p}",),
        "national government": ("Ministerie van Justitie en Veiligheid — {p}",),
        "supranational agency": ("Europol — {p}",),
        "prosecutor": ("Openbaar Ministerie — arrondissement {p}",),
        "corrections": ("Penitentiaire Inrichting {p}",),
        "military": ("Koninklijke Marechaussee — brigade {p}",),
        "local government": ("Gemeente {p}",),
        "state government": ("Provincie {r}",),
        "private company": ("{s} Beveiliging B.V.",),
        "education": ("Universiteit {p}", "Hogeschool {p}"),
        "other": ("Luchthaven {p}", "Stadion {p}"),
    },
}

PUBLISHERS = (
    "The Guardian",
    "The New York Times",
    "BuzzFeed News",
    "The Washington Post",
    "Reuters",
    "Associated Press",
    "Süddeutsche Zeitung",
    "Der Spiegel",
    "Le Monde",
    "Libération",
    "El País",
    "La Vanguardia",
    "Folha de S.Paulo",
    "Corriere della Sera",
    "Gazeta Wyborcza",
    "Dagens Nyheter",
    "NRC",
    "The Hindu",
    "ABC News (Australia)",
    "CBC News",
    "ACLU",
    "Electronic Frontier Foundation",
    "Human Rights Watch",
    "Amnesty International",
    "Public records request",
    "City council minutes",
    "County procurement portal",
    "State audit office",
    "Vendor press release",
    "Court filing",
)
VENDOR_PARTS_A = (
    "Veri Face Vision Clear Bio Iden Neuro Sight Trust Secure Opti Cogni Deep Sense Recog Argus Lynx "
    "Ocu Persona Visi Mira Aegis Sentri Panop Nexa Kairo Lumi Orbi Tala"
).split()
VENDOR_PARTS_B = (
    "Tech",
    "Labs",
    "AI",
    "Systems",
    "Vision",
    "Metrics",
    "ID",
    "Logic",
    "Scan",
    "Ware",
    "Match",
    "Guard",
)
VENDOR_LEGAL = ("Inc.", "GmbH", "S.A.", "Ltd", "AB", "B.V.", "S.p.A.", "Corp.", "SAS", "KK", "Pty Ltd")
VENDOR_SPECIAL = (
    "Müller Biometrie GmbH",
    "Société Visage Sécurité SA",
    "Ōkami Vision KK",
    "Nordström Identitet AB",
    "Señal Biométrica S.L.",
    "Kraków Rozpoznawanie Twarzy Sp. z o.o.",
    "Zürcher Gesichtserkennung AG",
    "Ærø Vision ApS",
)
PRODUCT_WORDS = ("Face", "Match", "Watch", "Scan", "Find", "Trace", "Look", "Eye", "Gate", "Point")
SUMMARIES = (
    "Compares booking photos against the mugshot database.",
    "Uses the system to identify suspects from surveillance camera stills.",
    "Runs live face recognition on cameras at the central station.",
    "Checks photos from social media against the driver's licence database.",
    "Pilot of body-worn cameras with face matching.",
    "Uses a mobile app to identify people during street stops.",
    "Contract signed after a council vote; renewed annually.",
    "Trial ended after a public records request revealed misidentifications.",
    "Searches images of unidentified people in investigations of shoplifting.",
    "Matches visa applicants' photos at the border.",
)
STATUS_WEIGHTS = {
    "active": 45,
    "ended": 20,
    "trial": 10,
    "unknown": 10,
    "paused": 4,
    "declined": 4,
    "pitch-only": 4,
    "barred": 3,
}
VERIFICATION_WEIGHTS = {"verified": 25, "partial": 55, "unverified": 20}
EVENT_TITLES = (
    "{c} signs a contract with {v}",
    "{c} suspends its use of {v}",
    "Audit of {c}'s face recognition finds gaps",
    "Wrongful arrest after a match by {v} at {c}",
    "{c} bans police use of face recognition",
    "Lawsuit filed against {c} over {v}",
    "Data breach at {v} exposes {c} searches",
    "{c} publishes its face recognition policy",
)


def _zipf(n: int, s: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for n ranked items."""
    return list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))


def _cum(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _date(rng: random.Random, first: int, last: int) -> str:
    year = rng.randint(first, last)
    precision = rng.random()
    if precision < 0.15:
        return f"{year}"
    if precision < 0.4:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("—", " ").split() if w[:1].isupper())


class Synthetic:
    """The whole synthetic data set; `tables()` yields rows lazily in `rows_for()` shape."""

    def __init__(self, customers: int, deployments: int, seed: int) -> None:
        self.n_customers = customers
        self.n_deployments = deployments
        self.seed = seed
        rng = self._rng("shared")
        self._places = self._make_places(rng)
        self._make_vendors(rng)
        self._make_customer_attributes(rng)
        self._make_deployment_links(rng)
        self._make_events(rng)

    def _rng(self, what: str) -> random.Random:
        return random.Random(f"{self.seed}:{what}")

    # -- shared state, built once ------------------------------------------------------------
    def _make_places(self, rng: random.Random) -> dict[str, tuple[list[str], list[float]]]:
        english = sorted({q + a + b for q in EN_QUALIFIER for a in EN_PREFIX for b in EN_SUFFIX})
        rng.shuffle(english)
        invented = sorted(
            {
                "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                for _ in range(30_000)
            }
        )
        rng.shuffle(invented)
        places: dict[str, tuple[list[str], list[float]]] = {}
        for code, (_name, lang, _w, _regions, cities) in COUNTRIES.items():
            if lang == "en" and code in ("US", ""):
                pool = english + invented[:20_000]
            else:
                # Real cities are the common ones; invented towns make the long tail of rare words.
                pool = list(cities) + invented[20_000:] if code != "GB" else list(cities) + english[:3000]
            places[code] = (pool, _zipf(len(pool), 1.05))
        return places

    def _make_vendors(self, rng: random.Random) -> None:
        names: list[str] = []
        seen = set(VENDOR_SPECIAL)
        while len(names) < VENDOR_COUNT - len(VENDOR_SPECIAL):
            name = rng.choice(VENDOR_PARTS_A) + rng.choice(VENDOR_PARTS_B).lower()
            if rng.random() < 0.3:
                name += " " + rng.choice(VENDOR_PARTS_B)
            if name not in seen:
                seen.add(name)
                names.append(name)
        names += VENDOR_SPECIAL  # last: the least popular, so their words stay rare
        self.vendor_names = names
        self.vendor_ids = [f"syn-vendor-{i:03d}" for i in range(len(names))]
        self.vendor_products = [
            [
                f"{n.split()[0]} {rng.choice(PRODUCT_WORDS)} {rng.randint(1, 9)}"
                for _ in range(rng.randint(1, 3))
            ]
            for n in names
        ]
        self.vendor_cum = _zipf(len(names), 1.1)
        self.v_alias = {i: _initials(names[i]) for i in range(len(names)) if rng.random() < 0.2}

    def _make_customer_attributes(self, rng: random.Random) -> None:
        n = self.n_customers
        codes = list(COUNTRIES)
        country_cum = _cum([COUNTRIES[c][2] for c in codes])
        types = list(TYPE_WEIGHTS)
        type_cum = _cum(list(TYPE_WEIGHTS.values()))
        self.c_country = rng.choices(codes, cum_weights=country_cum, k=n)
        self.c_type = rng.choices(types, cum_weights=type_cum, k=n)
        self.c_region: list[str] = []
        self.c_name: list[str] = []
        for i in range(n):
            code, typ = self.c_country[i], self.c_type[i]
            cname, lang, _w, regions, _cities = COUNTRIES[code]
            pool, cum = self._places[code]
            place = rng.choices(pool, cum_weights=cum)[0]
            region = rng.choice(regions)
            template = rng.choice(NAMES[lang][typ])
            name = template.format(p=place, r=region or place, s=rng.choice(SURNAMES), c=cname or "National")
            self.c_region.append(region)
            self.c_name.append(name)
        self.customer_ids = [f"syn-c{i:07d}" for i in range(n)]
        self.c_alias = {i: _initials(self.c_name[i]) for i in rng.sample(range(n), n // 20)}
        parents = [
            i
            for i in range(n)
            if self.c_type[i] in ("national police", "state police", "national government")
        ]
        self.c_parent: dict[int, int] = {}
        if parents:
            for i in rng.sample(range(n), n // 100):
                p = rng.choice(parents)
                if p != i:
                    self.c_parent[i] = p

    def _make_deployment_links(self, rng: random.Random) -> None:
        n = self.n_deployments
        self.d_vendor = array(
            "H", rng.choices(range(len(self.vendor_names)), cum_weights=self.vendor_cum, k=n)
        )
        self.d_customer = array("I", (rng.randrange(self.n_customers) for _ in range(n)))
        pairs = {c * 1024 + v for c, v in zip(self.d_customer, self.d_vendor, strict=True)}
        self.c_vendor_count = array("H", bytes(2 * self.n_customers))
        self.v_customer_count = [0] * len(self.vendor_names)
        for key in pairs:
            self.c_vendor_count[key // 1024] += 1
            self.v_customer_count[key % 1024] += 1

    def _make_events(self, rng: random.Random) -> None:
        self.e_vendors = [
            sorted(set(rng.choices(range(len(self.vendor_names)), k=rng.randint(0, 2))))
            for _ in range(EVENT_COUNT)
        ]
        self.e_customers = [
            sorted({rng.randrange(self.n_customers) for _ in range(rng.randint(1, 2))})
            for _ in range(EVENT_COUNT)
        ]
        self.c_event_count: dict[int, int] = {}
        self.v_event_count = [0] * len(self.vendor_names)
        for vs, cs in zip(self.e_vendors, self.e_customers, strict=True):
            for v in vs:
                self.v_event_count[v] += 1
            for c in cs:
                self.c_event_count[c] = self.c_event_count.get(c, 0) + 1

    # -- rows ---------------------------------------------------------------------------------
    def _base(self, rng: random.Random) -> dict[str, Any]:
        verification = rng.choices(list(VERIFICATION_WEIGHTS), cum_weights=_VER_CUM)[0]
        return {
            "verification": verification,
            "verification_note": "Synthetic benchmark row." if verification != "verified" else "",
            "note": "",
            "dataset_id": DATASET,
            "link": "",
        }

    def datasets(self) -> Iterator[dict[str, Any]]:
        rows = {
            "vendors": VENDOR_COUNT,
            "customers": self.n_customers,
            "deployments": self.n_deployments,
            "events": EVENT_COUNT,
        }
        yield {
            "id": DATASET,
            "name": "Synthetic benchmark data",
            "publisher": "FaceLedger benchmarks",
            "licence": "CC0-1.0",
            "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/",
            "attribution": "Generated by benchmarks/synthetic.py; every name and fact is invented.",
            "url": "https://example.invalid/synthetic",
            "retrieved": "2025-01-01",
            "upstream": "benchmarks/synthetic.py",
            "rows_imported": sum(rows.values()),
            "rows_detail": "; ".join(f"{k}: {v}" for k, v in sorted(rows.items())),
            "note": f"seed {self.seed}",
        }

    def sources(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("sources")
        kinds = ("press", "primary", "relay-or-mirror", "aggregator", "dataset")
        for i in range(SOURCE_COUNT):
            publisher = rng.choice(PUBLISHERS)
            subject = self.c_name[rng.randrange(self.n_customers)]
            vendor = rng.choice(self.vendor_names)
            yield {
                "id": f"syn-s{i:05d}",
                "url": f"https://example.invalid/{slug(publisher)}/{i}",
                "publisher": publisher,
                "title": f"{subject} and {vendor}: what the records show",
                "date": _date(rng, 2012, 2025),
                "kind": rng.choices(kinds, weights=(50, 25, 5, 10, 10))[0],
                "dataset_id": DATASET,
                "note": "",
            }

    def vendors(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("vendors")
        codes = [c for c in COUNTRIES if c]
        for i, name in enumerate(self.vendor_names):
            code = rng.choice(codes)
            cities = COUNTRIES[code][4] or ("Springfield", "Arlington", "Fairview")
            legal = rng.choice(VENDOR_LEGAL)
            yield {
                "id": self.vendor_ids[i],
                "name": name,
                "aliases": self.v_alias.get(i, ""),
                "legal_name": name if name.endswith(VENDOR_LEGAL) else f"{name} {legal}",
                "hq_country": code,
                "hq_city": rng.choice(cities),
                "founded": str(rng.randint(1985, 2020)),
                "products": "; ".join(self.vendor_products[i]),
                "website": f"https://{slug(name)}.example.invalid",
                "summary": "Sells face recognition to police and other agencies.",
                "origin": "synthetic",
                "customer_count": self.v_customer_count[i],
                "event_count": self.v_event_count[i],
                "known_from": KNOWN_CUSTOMERS if self.v_customer_count[i] else KNOWN_EVENTS,
                "reported_customers": "",  # the build fills these in from the counts
                "reported_customers_sort": None,
                **self._base(rng),
            }

    def customers(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("customers")
        ids = self.customer_ids
        for i in range(self.n_customers):
            name = self.c_name[i]
            parent = self.c_parent.get(i)
            yield {
                "id": ids[i],
                "name": name,
                "aliases": self.c_alias.get(i, ""),
                "type": self.c_type[i],
                "country": self.c_country[i],
                "region": self.c_region[i],
                "parent_id": ids[parent] if parent is not None else None,
                "summary": rng.choice(SUMMARIES) if rng.random() < 0.1 else "",
                "origin": "synthetic",
                "vendor_count": self.c_vendor_count[i],
                "event_count": self.c_event_count.get(i, 0),
                "sector": SECTOR_OF_TYPE[self.c_type[i]],
                **self._base(rng),
            }

    def deployments(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("deployments")
        statuses = list(STATUS_WEIGHTS)
        status_cum = _cum(list(STATUS_WEIGHTS.values()))
        for i in range(self.n_deployments):
            v, c = self.d_vendor[i], self.d_customer[i]
            status = rng.choices(statuses, cum_weights=status_cum)[0]
            start = _date(rng, 2008, 2025) if rng.random() < 0.95 else None
            end = None
            if start and status in ("ended", "barred", "declined") and rng.random() < 0.7:
                end = str(int(start[:4]) + rng.randint(0, 5))
            yield {
                "id": f"syn-d{i:07d}",
                "vendor_id": self.vendor_ids[v],
                "customer_id": self.customer_ids[c],
                "vendor_name": self.vendor_names[v],
                "customer_name": self.c_name[c],
                "customer_type": self.c_type[c],
                "customer_country": self.c_country[c],
                "product": rng.choice(self.vendor_products[v]) if rng.random() < 0.7 else "",
                "status": status,
                "start": start,
                "end": end,
                "summary": rng.choice(SUMMARIES) if rng.random() < 0.15 else "",
                **self._base(rng),
            }

    def customer_counts(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("counts")
        qualifiers = ("exact", "about", "at least", "more than", "up to")
        for i in range(COUNT_COUNT):
            v = rng.randrange(len(self.vendor_names)) if rng.random() < 0.9 else None
            q = rng.choice(qualifiers)
            value = rng.randint(1, 3000)
            subject = rng.choice(("law enforcement agencies", "police departments", "government customers"))
            yield {
                "id": f"syn-n{i:05d}",
                "vendor_id": self.vendor_ids[v] if v is not None else None,
                "vendor_name": self.vendor_names[v] if v is not None else "all vendors",
                "subject": subject,
                "qualifier": q,
                "value": value,
                "value_text": count_display({"qualifier": q, "value": value}),
                "region": rng.choice(("United States", "Europe", "worldwide", "Canada", "")),
                "as_of": _date(rng, 2015, 2025),
                "reported_by": rng.choice(PUBLISHERS),
                "kind": rng.choice(("company claim", "journalism", "government record", "research")),
                "counted": "other government agencies"
                if subject == "government customers"
                else "law-enforcement agencies",
                "product": "face recognition",
                "scope": "overall",
                **self._base(rng),
            }

    def studies(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("studies")
        for i in range(STUDY_COUNT):
            date = _date(rng, 2010, 2025)
            yield {
                "id": f"syn-study-{i:03d}",
                "title": f"Face recognition vendor evaluation, part {i + 1}",
                "authors": ", ".join(rng.sample(SURNAMES, 3)),
                "org": rng.choice(
                    ("NIST", "Fraunhofer IGD", "Université de Genève", "ACLU", "Ada Lovelace Institute")
                ),
                "venue": rng.choice(("Technical report", "Journal of Biometrics", "Conference proceedings")),
                "date": date,
                "year": int(date[:4]),
                "url": f"https://example.invalid/studies/{i}",
                "method": "Synthetic evaluation of false match and false non-match rates.",
                **self._base(rng),
            }

    def _study_figure_vendors(self, study: int) -> list[int]:
        return sorted(self._rng(f"study-vendors:{study}").sample(range(len(self.vendor_names)), 10))

    def study_vendors(self) -> Iterator[dict[str, Any]]:
        for s in range(STUDY_COUNT):
            for v in sorted(self.vendor_ids[x] for x in self._study_figure_vendors(s)):
                yield {"study_id": f"syn-study-{s:03d}", "vendor_id": v}

    def study_figures(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("figures")
        subgroups = ("all", "women", "men", "darker skin", "lighter skin", "over 65", "under 25")
        for s in range(STUDY_COUNT):
            vendors = self._study_figure_vendors(s)
            for k in range(FIGURES_PER_STUDY):
                v = vendors[k % len(vendors)]
                value = round(rng.uniform(0.0001, 0.2), 4)
                yield {
                    "id": f"syn-study-{s:03d}-f{k:03d}",
                    "study_id": f"syn-study-{s:03d}",
                    "vendor_id": self.vendor_ids[v],
                    "vendor_label": self.vendor_names[v],
                    "subgroup": rng.choice(subgroups),
                    "metric": rng.choice(("false match rate", "false non-match rate", "accuracy")),
                    "value": value,
                    "value_text": str(value),
                    "unit": "",
                    "location": f"Table {k // 10 + 1}",
                    **self._base(rng),
                }

    def events(self) -> Iterator[dict[str, Any]]:
        rng = self._rng("events")
        kinds = sorted(schema.EVENT_KINDS.values)
        for i in range(EVENT_COUNT):
            vs, cs = self.e_vendors[i], self.e_customers[i]
            date = _date(rng, 2012, 2025)
            c = self.c_name[cs[0]]
            v = self.vendor_names[vs[0]] if vs else "an undisclosed vendor"
            yield {
                "id": f"syn-e{i:05d}",
                "date": date,
                "year": int(date[:4]),
                "kind": rng.choice(kinds),
                "title": rng.choice(EVENT_TITLES).format(c=c, v=v),
                "summary": "",
                "jurisdiction": self.c_region[cs[0]],
                "country": self.c_country[cs[0]],
                "vendor_names": "; ".join(self.vendor_names[x] for x in vs),
                "customer_names": "; ".join(self.c_name[x] for x in cs),
                "amount": float(rng.randint(1, 500) * 1000) if rng.random() < 0.1 else None,
                "currency": "USD" if rng.random() < 0.1 else "",
                "person": "",
                "place": "",
                **self._base(rng),
            }

    def event_vendors(self) -> Iterator[dict[str, Any]]:
        for i, vs in enumerate(self.e_vendors):
            for v in vs:
                yield {"event_id": f"syn-e{i:05d}", "vendor_id": self.vendor_ids[v]}

    def event_customers(self) -> Iterator[dict[str, Any]]:
        for i, cs in enumerate(self.e_customers):
            for c in cs:
                yield {"event_id": f"syn-e{i:05d}", "customer_id": self.customer_ids[c]}

    def citations(self) -> Iterator[dict[str, Any]]:
        """Every fact row cites one to three sources (most one)."""
        rng = self._rng("citations")
        ids: list[tuple[str, Sequence[str] | Iterator[str]]] = [
            ("vendors", self.vendor_ids),
            ("customers", self.customer_ids),
            ("deployments", (f"syn-d{i:07d}" for i in range(self.n_deployments))),
            ("customer_counts", (f"syn-n{i:05d}" for i in range(COUNT_COUNT))),
            ("studies", [f"syn-study-{s:03d}" for s in range(STUDY_COUNT)]),
            (
                "study_figures",
                (f"syn-study-{s:03d}-f{k:03d}" for s in range(STUDY_COUNT) for k in range(FIGURES_PER_STUDY)),
            ),
            ("events", (f"syn-e{i:05d}" for i in range(EVENT_COUNT))),
        ]
        for entity, record_ids in ids:
            for rid in record_ids:
                n = 1 if rng.random() < 0.95 else rng.randint(2, 3)
                for s in sorted({rng.randrange(SOURCE_COUNT) for _ in range(n)}):
                    yield {"entity": entity, "record_id": rid, "source_id": f"syn-s{s:05d}"}

    def aliases(self) -> Iterator[dict[str, Any]]:
        for entity, ids, alias in (
            ("vendors", self.vendor_ids, self.v_alias),
            ("customers", self.customer_ids, self.c_alias),
        ):
            for i in sorted(alias):
                if alias[i]:
                    yield {"entity": entity, "record_id": ids[i], "alias": alias[i]}

    def tables(self) -> dict[str, Iterator[dict[str, Any]]]:
        """Rows per table for `writer.write_database`, each checked against the declared tables."""
        return {t.name: _checked(t, getattr(self, t.name)()) for t in schema.TABLES}


_VER_CUM = _cum(list(VERIFICATION_WEIGHTS.values()))


def _checked(table: schema.Table, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows with every declared column: a column this generator does not fill gets its declared
    default; a column it fills that is not declared stops the run."""
    declared = table.column_names
    defaults: dict[str, Any] = {}
    first = True
    for row in rows:
        if first:
            extra = sorted(set(row) - set(declared))
            if extra:
                raise SystemExit(f"synthetic {table.name} rows have undeclared columns {extra}")
            defaults = {c.name: c.default for c in table.columns if c.name not in row}
            first = False
        yield {**defaults, **row} if defaults else row


def generate(out: Path, customers: int, deployments: int, seed: int) -> dict[str, float]:
    """Write the database and its manifest; returns timings in seconds and the file size in bytes."""
    out = out.resolve()
    if out == ROOT or ROOT in out.parents:
        raise SystemExit(f"refusing to write inside the repository: {out}")
    t0 = time.perf_counter()
    data = Synthetic(customers, deployments, seed)
    t1 = time.perf_counter()
    meta = {
        "schema_version": str(writer.SCHEMA_VERSION),
        "data_version": f"synthetic-{seed}-{customers}-{deployments}",
        "application": "FaceLedger",
    }
    writer.write_database(out, data.tables(), meta)
    t2 = time.perf_counter()
    return {"prepare_s": t1 - t0, "write_s": t2 - t1, "total_s": t2 - t0, "bytes": out.stat().st_size}


def ensure_database(deployments: int = 1_000_000, seed: int = 2020) -> Path:
    """The synthetic database with `deployments` customers and deployments, built once in /tmp
    (other benchmarks call this); rebuilt when the file there was made with other sizes."""
    out = DEFAULT_OUT if deployments == 1_000_000 else Path(f"/tmp/faceledger-synthetic-{deployments}.db")
    version = f"synthetic-{seed}-{deployments}-{deployments}"
    if out.exists():
        conn = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        except sqlite3.Error:
            row = None
        finally:
            conn.close()
        if row and row[0] == version:
            return out
    generate(out, deployments, deployments, seed)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--deployments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    result = generate(args.output, args.customers, args.deployments, args.seed)
    print(
        f"wrote {args.output} ({result['bytes'] / 1e6:,.0f} MB) in {result['total_s']:.0f} s "
        f"(preparing {result['prepare_s']:.0f} s, writing {result['write_s']:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
