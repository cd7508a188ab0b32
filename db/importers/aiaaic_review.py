"""Reviewed decisions on the AIAAIC import: roles, links not made, and entries that repeat a happening.

Every line here was decided by reading the entry (headline, deployer and developer cells, year, page
link) against FaceLedger's own records; the reason is kept beside it. The importer applies these
tables and fails the build when one names an entry or an event that does not exist, so a decision
can never silently stop applying.
"""

from __future__ import annotations

from typing import NamedTuple

# -- Public bodies listed as developers --------------------------------------------------------
# AIAAIC's "Developer(s)" cell sometimes names the police force or government body that built or ran
# a system itself. FaceLedger's vendors are companies that sell face recognition: these bodies are
# customers (deployers) of the entry instead, under the one customer record FaceLedger has for them.
# Names as the importer uses them (after NAME_FIXES, without a trailing abbreviation).
PUBLIC_BODY_DEVELOPERS: tuple[str, ...] = (
    "Canada Border Services Agency",
    "Customs and Border Protection",  # resolves to the curated US Customs and Border Protection
    "Federal Bureau of Investigation",
    "Government of Delhi",
    "Home Team Science and Technology Agency",  # Singapore's Home Team science agency (HTX)
    "Iarpa",  # US Intelligence Advanced Research Projects Activity, funder of the IJB-C dataset
    "Louisiana State Analytical and Fusion Exchange",
    "Metropolitan Police Service",
    "Metropolitan Washington Council of Government",
    "National e-Governance Division",
    "National Health Authority",
    "New Orleans Police Department",
    "State Taxation Administration",
    "UK Home Office",
    "Unique Identification Authority of India",
    "US Immigration and Customs Enforcement",
)


# -- Links not made ---------------------------------------------------------------------------
class NotLinked(NamedTuple):
    """Organisations an entry lists in one role that FaceLedger does not link to its event."""

    entry: str  # AIAAIC id, e.g. "AIAAIC0563"
    role: str  # "deployer" or "developer"
    names: tuple[str, ...]  # names as the importer uses them; ("*",) = every name in that cell
    reason: str


def _dataset_users(dataset: str) -> str:
    return (
        f"The entry is about a research dataset ({dataset}); its deployer list names organisations "
        "reported to have used the dataset, not customers of a face recognition system."
    )


NOT_LINKED: tuple[NotLinked, ...] = (
    NotLinked(
        "AIAAIC0563",
        "deployer",
        ("Amazon", "Modesto City Schools"),
        "The entry is about Dahua's police system in Xinjiang; Amazon and Modesto City Schools bought "
        "other Dahua products in the US and did not deploy that system.",
    ),
    NotLinked("AIAAIC1536", "deployer", ("*",), _dataset_users("Duke MTMC")),
    NotLinked("AIAAIC1545", "deployer", ("*",), _dataset_users("IARPA Janus Benchmark-C")),
    NotLinked("AIAAIC1546", "deployer", ("*",), _dataset_users("IBM Diversity in Faces")),
    NotLinked("AIAAIC1555", "deployer", ("*",), _dataset_users("MegaFace")),
    NotLinked("AIAAIC1556", "deployer", ("*",), _dataset_users("MS-Celeb-1M")),
    NotLinked("AIAAIC1558", "deployer", ("*",), _dataset_users("Oxford Town Centre")),
    NotLinked("AIAAIC1559", "deployer", ("*",), _dataset_users("People in Photo Albums")),
    NotLinked("AIAAIC1571", "deployer", ("*",), _dataset_users("Unconstrained College Students")),
    NotLinked("AIAAIC1572", "deployer", ("*",), _dataset_users("VGG Face")),
)


# -- Entries that repeat a happening FaceLedger already records ------------------------------
class SameHappening(NamedTuple):
    """An AIAAIC entry about a happening that another event records: no event of its own; its
    AIAAIC page becomes one of that event's sources. The other event's record wins (date, names,
    links)."""

    entry: str
    event: str  # the event that records the happening (curated, or another AIAAIC entry)
    reason: str


SAME_HAPPENING: tuple[SameHappening, ...] = (
    SameHappening(
        "AIAAIC0137",
        "amazon-aclu-congress-test-2018",
        "The ACLU's 2018 test in which Rekognition matched 28 members of Congress to mugshots.",
    ),
    SameHappening(
        "AIAAIC0420",
        "detroit-robert-williams-wrongful-arrest-2020-01",
        "Robert Williams' wrongful arrest in Detroit; AIAAIC dates it 2018, the arrest was on 2020-01-09.",
    ),
    SameHappening(
        "AIAAIC0421",
        "oliver-detroit-2019",
        "Michael Oliver's wrongful charge in Detroit; AIAAIC dates it 2020, the curated record 2019-07.",
    ),
    SameHappening(
        "AIAAIC0422",
        "parks-woodbridge-2019",
        "Nijeer Parks' wrongful arrest in Woodbridge, New Jersey; AIAAIC dates it 2020, the arrest was in 2019.",
    ),
    SameHappening(
        "AIAAIC0905",
        "reid-louisiana-2022",
        "Randal Reid jailed in Georgia on Louisiana warrants after a face recognition match (2022).",
    ),
    SameHappening(
        "AIAAIC0961",
        "sawyer-maryland-2022",
        "Alonzo Sawyer's wrongful arrest in Maryland after a face search of bus video (2022).",
    ),
    SameHappening(
        "AIAAIC1069",
        "woodruff-detroit-2023",
        "Porcha Woodruff's wrongful arrest in Detroit (2023); AIAAIC's headline misspells her name 'Rudruff'.",
    ),
    SameHappening(
        "AIAAIC1310",
        "murphy-houston-2022",
        "Harvey Murphy Jr.'s arrest in Houston after a retailer's face recognition match.",
    ),
    SameHappening(
        "AIAAIC0124",
        "ibm-nypd-video-analytics-report-2018",
        "The 2018 report that IBM built video analytics with NYPD camera footage.",
    ),
    SameHappening(
        "AIAAIC0321",
        "clearview-nyt-expose-2020",
        "The New York Times' January 2020 report on Clearview AI's scraped photo database.",
    ),
    SameHappening(
        "AIAAIC1697",
        "aclu-v-clearview-filed-2020",
        "The ACLU's 2020 suit against Clearview AI under Illinois' biometric privacy law.",
    ),
    SameHappening(
        "AIAAIC0307",
        "sweden-imy-police-fine-2021",
        "Sweden's data protection authority finding (2021) that the police used Clearview AI unlawfully.",
    ),
    SameHappening(
        "AIAAIC0645",
        "canada-opc-rcmp-report-2021",
        "Canada's Privacy Commissioner finding (2021) that the RCMP's use of Clearview AI broke the Privacy Act.",
    ),
    SameHappening(
        "AIAAIC1615",
        "france-cnil-fine-2022",
        "France's CNIL fine against Clearview AI (2022).",
    ),
    SameHappening(
        "AIAAIC1728",
        "netherlands-ap-fine-2024",
        "The Dutch data protection authority's fine against Clearview AI (2024).",
    ),
    SameHappening(
        "AIAAIC0413",
        "aiaaic-0356",
        "Two AIAAIC entries on Alibaba's face recognition offering Uyghur detection, both 2020, China.",
    ),
)
