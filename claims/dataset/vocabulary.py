"""The words the dataset is made of: names, roles, places, outlets, topics and sentence templates."""

from __future__ import annotations

from ..models import ClaimKind, SourceKind

FIRST_NAMES = (
    "Amara Ana Andrei Anita Aroha Ayesha Bea Bruno Carla Carlos Chen Chidi Clara Dario Daniel Dina Elena Emeka "
    "Emma Farah Felix Fatima Gabriel Grace Hana Hugo Ibrahim Ines Ioana Isaac Jana Javier Jin Joao Jonas Julia "
    "Kai Kamala Karin Kofi Lars Leila Lena Liam Lucia Luis Maia Malik Marek Maria Marta Mateo Mei Mira Musa "
    "Nadia Naledi Nia Nikos Noor Olga Omar Oscar Paolo Petra Priya Rafael Rania Rosa Ruth Sami Sara Sean Sofia "
    "Sunil Tamar Teresa Thabo Tomas Uma Valeria Vera Viktor Wanjiru Yara Yusuf Zainab Zoltan Zora"
).split()
LAST_NAMES = (
    "Abara Adeyemi Almeida Andersen Arslan Bakker Banda Barros Becker Bianchi Costa Cruz Dahl Dimitrov Diallo "
    "Dubois Duarte Eriksen Esposito Ferreira Fischer Fontaine Garcia Gomez Haddad Hansen Hoffmann Horvat Ibsen "
    "Ivanova Jansen Kamau Kariuki Kaya Keller Kim Kowalski Kruger Laine Larsen Lopez Mahlangu Marin Martins "
    "Mendes Meyer Molina Moreau Mukherjee Mwangi Nagy Nakamura Navarro Nielsen Novak Nowak Obi Odhiambo Okafor "
    "Olsen Ortiz Owusu Park Pereira Petrov Popescu Quist Rahman Ramos Reyes Ricci Rossi Sahin Santos Schmidt "
    "Silva Sokolov Suarez Tanaka Torres Tran Varga Vasquez Vogel Wagner Weber Yilmaz Zhang Zulu"
).split()
ROLES = [
    "Minister of Finance",
    "Minister of Health",
    "Minister of Education",
    "Prime Minister",
    "President",
    "opposition leader",
    "Member of Parliament",
    "senator",
    "mayor",
    "central bank governor",
    "party spokesperson",
    "union leader",
    "chief executive",
    "campaign director",
    "economist",
    "health commissioner",
    "police chief",
    "governor",
]
COUNTRIES = (
    "Kenya|Ghana|Nigeria|Brazil|Mexico|Chile|India|Indonesia|the Philippines|Vietnam|Poland|Romania|Spain|"
    "Portugal|Italy|Germany|France|Ireland|Canada|Australia|New Zealand|South Africa|Egypt|Morocco|Turkey|Greece|"
    "Sweden|Norway|Finland|Japan|South Korea|Argentina|Colombia|Peru|Ukraine|Hungary|Austria|Belgium"
).split("|")
CITIES = (
    "Nairobi|Accra|Lagos|Recife|Monterrey|Valparaíso|Pune|Surabaya|Cebu|Da Nang|Kraków|Cluj|Valencia|Porto|Turin|"
    "Leipzig|Lyon|Cork|Winnipeg|Adelaide|Durban|Alexandria|Izmir|Thessaloniki|Gothenburg|Bergen|Tampere|Osaka"
).split("|")
PORTFOLIOS = "Finance|Health|Education|Energy|Transport|Agriculture|Justice|Labour|Environment|Defence".split("|")
COMPANY_WORDS = (
    "Northgate Bluewater Silverline Redwood Harbour Summit Meridian Crescent Pioneer Atlas Beacon Cobalt Evergreen "
    "Granite Horizon Ironbridge Keystone Lakeside Orchard Riverside Sterling Westfield"
).split()
COMPANY_SUFFIXES = "Group|Holdings|International|Partners|Limited|Trust".split("|")
COMPANY_SECTORS = "Energy|Telecom|Mining|Logistics|Foods|Pharma|Insurance|Motors|Bank|Media|Holdings|Airlines".split(
    "|"
)
ORGANISATION_PATTERNS = [
    "the Ministry of {portfolio} of {country}",
    "{company} {sector}",
    "{company} {sector} {suffix}",
    "the {country} Council for {cause}",
    "the National {cause} Institute of {country}",
    "the {country} {union}",
]
CAUSES = "Fair Trade|Public Health|Clean Air|Rural Development|Fiscal Responsibility|Open Government|Road Safety".split(
    "|"
)
UNIONS = "Teachers' Union|Farmers' Association|Chamber of Commerce|Medical Association|Taxpayers' Alliance".split("|")
METRICS = (
    "unemployment|inflation|the budget deficit|public debt|exports|foreign direct investment|violent crime|"
    "child poverty|hospital waiting times|school enrolment|carbon emissions|house prices|rents|tax revenue|"
    "military spending|tourist arrivals|youth unemployment|electricity prices|fuel prices|the murder rate"
).split("|")
SECTORS = (
    "health care|education|public transport|housing|agriculture|renewable energy|defence|policing|tourism|"
    "manufacturing|mining|the rail network|broadband|water supply|pensions"
).split("|")
GROUPS = "children|pensioners|rural households|young people|working women|farmers|single parents|students".split("|")
REGIONS = "Africa|Europe|Latin America|Asia|the region|the European Union|the Commonwealth".split("|")
DISEASES = "measles|malaria|tuberculosis|dengue|cholera|mpox|hepatitis".split("|")
FACILITIES = "hospital|school|coal plant|police station|rural clinic|post office|library".split("|")
BANNED_THINGS = "single-use plastics|smoking in bars|fracking|child marriage|cryptocurrency mining|glyphosate".split(
    "|"
)
AGENCIES = (
    "national statistics office|health ministry|central bank|electoral commission|audit office|"
    "energy regulator|labour ministry|World Bank|IMF"
).split("|")
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
OUTLETS = [
    "The Daily Ledger",
    "Northern Herald",
    "Capital Times",
    "Radio Metro",
    "Coastline News",
    "The Civic Post",
    "Morning Dispatch",
    "Valley Gazette",
    "National Broadcaster",
    "Wire Service International",
    "The Evening Standard-Bearer",
    "City Pulse",
    "The Observer Review",
    "Frontline Weekly",
    "Public Radio Network",
    "The Tribune",
    "Harbour Chronicle",
    "Market Watchers",
    "Parliament Live",
    "The Sunday Record",
]
SOURCE_KINDS = {
    SourceKind.NEWS_ARTICLE: 0.68,
    SourceKind.PRESS_RELEASE: 0.08,
    SourceKind.INTERVIEW: 0.06,
    SourceKind.TRANSCRIPT: 0.06,
    SourceKind.REPORT: 0.05,
    SourceKind.OFFICIAL_STATISTICS: 0.03,
    SourceKind.SOCIAL_MEDIA: 0.04,
}
TOPICS = (
    "economy inflation jobs budget taxes health vaccines hospitals education schools housing energy climate "
    "emissions crime policing migration elections parliament corruption transport agriculture trade tourism "
    "pensions poverty wages debt defence water media technology covid-19 floods drought mining gender"
).split()

# A claim's own words (lower-case start unless a name), what the editor writes as its summary, and its kind.
CORES = [
    ("{metric} {rose} {pct} percent in {year}", "{metric} {rose} {pct}% in {year}", ClaimKind.STATISTIC),
    (
        "{metric} in {country} {rose} by {pct} percent between {year_old} and {year}",
        "{metric} in {country} {rose} {pct}% from {year_old} to {year}",
        ClaimKind.STATISTIC,
    ),
    (
        "the government has spent {money} on {sector} since {year}",
        "{money} spent on {sector} since {year}",
        ClaimKind.STATISTIC,
    ),
    ("{number} new jobs were created in {sector} last year", "{number} new jobs in {sector}", ClaimKind.STATISTIC),
    (
        "{country} now produces {pct} percent of its electricity from renewable sources",
        "{country} gets {pct}% of its electricity from renewables",
        ClaimKind.STATISTIC,
    ),
    (
        "{metric} in {country} is the highest in {region}",
        "{metric} in {country} highest in {region}",
        ClaimKind.STATISTIC,
    ),
    (
        "the new law will cut {metric} by half before {future_year}",
        "New law halves {metric} by {future_year}",
        ClaimKind.PREDICTION,
    ),
    (
        "the government will build {number} new homes by {future_year}",
        "{number} new homes by {future_year}",
        ClaimKind.PROMISE,
    ),
    (
        "{city} received {money} in public funding in {year}, more than any other city",
        "{city} got the most public funding in {year} ({money})",
        ClaimKind.STATISTIC,
    ),
    ("{pct} percent of {group} live below the poverty line", "{pct}% of {group} in poverty", ClaimKind.STATISTIC),
    (
        "{metric} more than doubled between {year_old} and {year}",
        "{metric} more than doubled from {year_old} to {year}",
        ClaimKind.STATISTIC,
    ),
    ("the programme has cost taxpayers {money} so far", "Programme cost {money}", ClaimKind.STATISTIC),
    (
        "{country} was the first country in {region} to ban {thing}",
        "{country} first in {region} to ban {thing}",
        ClaimKind.HISTORY,
    ),
    (
        "the treaty was signed in {year_old} by {number_small} countries",
        "Treaty signed in {year_old} by {number_small} countries",
        ClaimKind.HISTORY,
    ),
    (
        "the minimum wage is worth {pct} percent less than it was in {year_old}",
        "Minimum wage worth {pct}% less than in {year_old}",
        ClaimKind.STATISTIC,
    ),
    (
        "more than {number} people were displaced by the floods in {month} {year}",
        "{number} displaced by floods in {month} {year}",
        ClaimKind.EVENT,
    ),
    (
        "the {agency} recorded {number} cases of {disease} in {year}",
        "{number} {disease} cases in {year}",
        ClaimKind.STATISTIC,
    ),
    (
        "{metric} will fall below {pct} percent by {future_year}",
        "{metric} below {pct}% by {future_year}",
        ClaimKind.PREDICTION,
    ),
    (
        "the average household pays {money_small} a month more for energy than in {year}",
        "Households pay {money_small} more a month for energy than in {year}",
        ClaimKind.STATISTIC,
    ),
    ("not a single {facility} has closed since {year}", "No {facility} closed since {year}", ClaimKind.HISTORY),
    ("{pct} percent of {group} support the reform", "{pct}% of {group} back the reform", ClaimKind.STATISTIC),
    (
        "the opposition voted against the budget {number_small} times",
        "Opposition voted against the budget {number_small} times",
        ClaimKind.QUOTATION,
    ),
    ("{country} imports {pct} percent of its food", "{country} imports {pct}% of its food", ClaimKind.STATISTIC),
    ("the police hired {number} new officers last year", "{number} new police officers", ClaimKind.STATISTIC),
    (
        "{money} has been lost to fraud in {sector} since {year}",
        "{money} lost to fraud in {sector} since {year}",
        ClaimKind.STATISTIC,
    ),
    (
        "{country} has the fastest-growing economy in {region}",
        "{country} fastest-growing economy in {region}",
        ClaimKind.STATISTIC,
    ),
    ("the party has never raised taxes on {group}", "Party never raised taxes on {group}", ClaimKind.QUOTATION),
]
# Around a claim's words: (before, after, capitalise the words), for a person, an organisation, or nobody.
PERSON_FRAMES = [
    ("", ", {name} said.", True),
    ("", ", said {name}, {role}.", True),
    ("“", ",” {surname} told reporters.", True),
    ("{name} said ", ".", False),
    ("According to {name}, ", ".", False),
    ("In a speech on {weekday}, {name} claimed that ", ".", False),
    ("{surname} said on {weekday} that ", ".", False),
    ("“", ",” {name} said in an interview.", True),
]
ORGANISATION_FRAMES = [
    ("", ", {name} said in a statement.", True),
    ("According to {name}, ", ".", False),
    ("{Name} said ", ".", False),
    ("In its annual report, {name} said ", ".", False),
]
UNATTRIBUTED_FRAMES = [("", ".", True)]
FILLERS = [
    "The figures were published on {weekday}.",
    "Officials did not respond to a request for comment.",
    "The report covers the period from {year_old} to {year}.",
    "{city} has a population of about {number}.",
    "Analysts had expected a smaller change.",
    "The debate is expected to continue next week.",
    "The ministry’s figures — published in {month} — were revised twice.",
    "Critics called the plan unrealistic.",
    "The bill passed its second reading by {number_small} votes.",
    "Turnout in the last election was {pct} percent.",
    "The {agency} will release updated data in {month}.",
    "Opposition parties have called for an independent inquiry.",
    "The programme was launched in {year} with support from partners in {region}.",
    "Some economists dispute the methodology…",
    "“We will keep listening to people,” a spokesperson said.",
    "Protests took place in {city} on {weekday}.",
    "Prices at the pump averaged {money_small} last month.",
    "The committee meets again in {month}.",
    "It was not immediately clear how the figure had been calculated.",
    "The central bank left interest rates unchanged at {pct} percent.",
]
TITLES = [
    "{Metric} {rose} to {pct}% in {year}, {agency} says",
    "{Country} promises {number} new homes by {future_year}",
    "Inside {country}’s {sector} debate",
    "Minister defends {sector} spending",
    "What the figures say about {metric}",
    "{City} council votes on {sector} plan",
    "Opposition questions {metric} figures",
    "Interview: the {role} on {sector}",
    "{Agency} publishes {year} report",
]
RATIONALES = {
    "false": "Official data contradict the claim: the {agency} puts the figure at {pct} percent for {year}.",
    "mostly-false": "Close to an older estimate, but the {agency}'s latest release shows the opposite trend "
    "since {year}.",
    "misleading": "The figure is accurate but compares with {year_old}, an unusually bad year, which exaggerates "
    "the change.",
    "half-true": "Right about the direction, wrong about the size: the {agency} reports {pct} percent.",
    "mostly-true": "Matches the {agency}'s data for {year}; it leaves out a revision published in {month}.",
    "true": "Confirmed by the {agency}'s published tables for {year}.",
    "unverifiable": "No public data covers this; the {agency} declined to release the underlying figures.",
}
NOTES = [
    "Called the {agency} press office; waiting for a reply.",
    "The {year} release has the figure at {pct} percent; checking which series they used.",
    "Possible duplicate of an older claim about {metric}.",
    "Asked the speaker's office for their source.",
    "The numbers in the article differ from the speech transcript.",
    "Found the original table; the claim rounds {pct} up.",
    "Needs a second source before review.",
    "Spoke to an economist at the university: the comparison with {year_old} is unusual.",
    "The {agency} revised the series in {month}; use the revised figures.",
    "Translation checked against the original interview.",
    "Archive copy of the press release saved.",
    "Same claim made in {city} last {month}.",
]
EXCERPTS = [
    "Table 4: {metric}, {year_old}–{year} (percent).",
    "The {agency} estimates the figure at {pct} percent for {year}.",
    "Provisional figures, subject to revision in {month}.",
    "In {year}, {number} people were counted in the survey.",
    "Spending on {sector} totalled {money} over the period.",
]
EVIDENCE_SITES = ["data.example.org", "stats.example.net", "archive.example.com", "open.example.gov"]
MORE_EVIDENCE_NOTES = [
    "The verdict rests on one source; find the {agency}'s own figures.",
    "Check the {year} revision before we publish.",
    "Rationale does not address the comparison with {year_old}.",
    "Need the original document, not a news report about it.",
]
CORRECTION_REASONS = [
    "The {agency} revised its {year} figures after publication.",
    "A reader pointed out that we compared different series.",
    "The speaker's office sent the underlying data, which changes the picture.",
    "Our rationale quoted the wrong year ({year_old}).",
]
