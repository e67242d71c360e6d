"""Full-text search indexes for claims and sources, kept in step by the database.

`claims.search` queries them; its docstring says what matches and how results rank.
Both databases are kept by triggers, so every write is indexed, bulk ones included.

SQLite: FTS5 tables tokenised by `unicode61 remove_diacritics 2`, one per table
searched, whose rowid is the claim's, claimant's or source's id:
claims_claim_search (summary, quote), claims_claimant_search (name) and
claims_source_search (title, text). Each is kept by triggers on its own table only.
A claim is found by its claimant's name or its source's title through its
claimant_id and source_id when the query runs, so renaming a claimant is one row's
change. (A trigger that read another table would make SQLite refuse every later
migration that rebuilds that table.)

PostgreSQL: a `search_document` tsvector column on claims_claim and on claims_source,
filled by the database (BEFORE INSERT/UPDATE triggers, and AFTER triggers that
refresh a claimant's or source's claims when it is renamed), under a GIN index.
The column is not a model field: Django never reads or writes it. A claim's
document holds its summary (weight A), claimant's name (C), source title (D) and
quote (B); a source's, its title (A) and text (B). The weights let a phrase be
matched within one field and let the rank tell the fields apart. Words are read by
the `claimdesk_search` configuration: `unaccent` then `simple`, after ASCII and
common typographic punctuation is read as spaces, so they split where unicode61
splits them ("Russia-Philippines", "3.5", "Khovaev's").

Long texts are indexed up to their first 100,000 characters on both databases
(a tsvector may not exceed 1 MB).

On SQLite, Django alters most columns by rebuilding the table, which drops its
triggers: a later migration that rebuilds claims_claim, claims_claimant or
claims_source must call `restore_sqlite_triggers` below for it
(tests/test_search.py checks that every trigger is there).
"""

from django.db import migrations

FIELD_LIMIT = 100_000

# --- SQLite ---------------------------------------------------------------------------------

# (table searched, its FTS5 table, the fields indexed)
SQLITE_INDEXES = [
    ("claims_claim", "claims_claim_search", ["summary", "quote"]),
    ("claims_claimant", "claims_claimant_search", ["name"]),
    ("claims_source", "claims_source_search", ["title", "text"]),
]


def sqlite_row(fields, row):
    columns = ", ".join(["rowid", *fields])
    values = ", ".join([f"{row}.id", *(f"substr({row}.{field}, 1, {FIELD_LIMIT})" for field in fields)])
    return f"({columns}) VALUES ({values})"


def create_sqlite_triggers(table, search_table, fields):
    changed = " OR ".join(f"old.{field} IS NOT new.{field}" for field in fields)
    return [
        f"""CREATE TRIGGER {search_table}_insert AFTER INSERT ON {table} BEGIN
            INSERT OR REPLACE INTO {search_table} {sqlite_row(fields, "new")};
        END""",
        f"""CREATE TRIGGER {search_table}_update AFTER UPDATE OF {", ".join(fields)} ON {table}
        WHEN {changed} BEGIN
            INSERT OR REPLACE INTO {search_table} {sqlite_row(fields, "new")};
        END""",
        f"""CREATE TRIGGER {search_table}_delete AFTER DELETE ON {table} BEGIN
            DELETE FROM {search_table} WHERE rowid = old.id;
        END""",
    ]


def drop_sqlite_triggers(search_table):
    return [f"DROP TRIGGER IF EXISTS {search_table}_{event}" for event in ("insert", "update", "delete")]


def fill_sqlite_index(table, search_table, fields):
    selected = ", ".join(["id", *(f"substr({field}, 1, {FIELD_LIMIT})" for field in fields)])
    return f"INSERT INTO {search_table} (rowid, {', '.join(fields)}) SELECT {selected} FROM {table}"


def sqlite_forwards():
    for table, search_table, fields in SQLITE_INDEXES:
        yield f"""CREATE VIRTUAL TABLE {search_table}
            USING fts5({", ".join(fields)}, tokenize = 'unicode61 remove_diacritics 2')"""
        yield fill_sqlite_index(table, search_table, fields)
        yield from create_sqlite_triggers(table, search_table, fields)


def sqlite_backwards():
    for _, search_table, _ in SQLITE_INDEXES:
        yield from drop_sqlite_triggers(search_table)
        yield f"DROP TABLE IF EXISTS {search_table}"


def restore_sqlite_triggers(schema_editor, *tables):
    """For a later migration that rebuilt some of these tables on SQLite (which drops
    their triggers): the triggers again, and their search tables filled afresh. Call
    it from a RunPython after the operations that rebuild them, e.g.
    `import_module("claims.migrations.0006_full_text_search").restore_sqlite_triggers(schema_editor, "claims_claim")`."""
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL alters tables in place and keeps their triggers
    for table, search_table, fields in SQLITE_INDEXES:
        if table in tables:
            for statement in [
                *drop_sqlite_triggers(search_table),
                f"DELETE FROM {search_table}",
                fill_sqlite_index(table, search_table, fields),
                *create_sqlite_triggers(table, search_table, fields),
            ]:
                schema_editor.execute(statement, params=None)


# --- PostgreSQL -----------------------------------------------------------------------------

# Read as spaces before parsing: PostgreSQL's parser would otherwise keep "3.5", "e-mail",
# "example.com" or "a/b" as single words (and, in a C locale, glue words across curly quotes),
# where FTS5's unicode61 sees two.
PUNCTUATION = (
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    "\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2013\u2014\u2026\u00b7\u00a0\u2009\u202f"
)


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def plpgsql(name, body, returns="NEW"):
    # SET search_path: the functions find the configuration and the tables whatever path a
    # session has set (pg_restore, say, empties it).
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
        {body};
        RETURN {returns};
    END $$"""


CLAIM_CHANGED = " OR ".join(
    f"OLD.{field} IS DISTINCT FROM NEW.{field}" for field in ("summary", "quote", "claimant_id", "source_id")
)
REFRESH_CLAIMS = (
    "UPDATE claims_claim SET search_document = "
    "claimdesk_claim_document(summary, quote, claimant_id, source_id) WHERE {column} = NEW.id"
)

POSTGRES_FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION claimdesk_search (COPY = pg_catalog.simple)",
    """ALTER TEXT SEARCH CONFIGURATION claimdesk_search
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
        WITH unaccent, simple""",
    f"""CREATE FUNCTION claimdesk_search_vector(body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT
        AS $$ SELECT to_tsvector('claimdesk_search',
            translate(left(coalesce(body, ''), {FIELD_LIMIT}), {literal(PUNCTUATION)}, {literal(" " * len(PUNCTUATION))})) $$""",
    # The quote last: positions past 16,383 are all counted as 16,383, so a long quote
    # must not push the short fields' words together.
    """CREATE FUNCTION claimdesk_claim_document(summary text, quote text, claimant bigint, source bigint)
        RETURNS tsvector LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
        SELECT setweight(claimdesk_search_vector(summary), 'A')
            || setweight(claimdesk_search_vector((SELECT name FROM claims_claimant WHERE id = claimant)), 'C')
            || setweight(claimdesk_search_vector((SELECT title FROM claims_source WHERE id = source)), 'D')
            || setweight(claimdesk_search_vector(quote), 'B') $$""",
    # Claims.
    "ALTER TABLE claims_claim ADD COLUMN search_document tsvector",
    "UPDATE claims_claim SET search_document = claimdesk_claim_document(summary, quote, claimant_id, source_id)",
    "CREATE INDEX claim_search_document ON claims_claim USING gin (search_document)",
    plpgsql(
        "claims_claim_search_document",
        "NEW.search_document := claimdesk_claim_document(NEW.summary, NEW.quote, NEW.claimant_id, NEW.source_id)",
    ),
    """CREATE TRIGGER claims_claim_search_insert BEFORE INSERT ON claims_claim
        FOR EACH ROW EXECUTE FUNCTION claims_claim_search_document()""",
    f"""CREATE TRIGGER claims_claim_search_update BEFORE UPDATE OF summary, quote, claimant_id, source_id
        ON claims_claim FOR EACH ROW WHEN ({CLAIM_CHANGED}) EXECUTE FUNCTION claims_claim_search_document()""",
    # A renamed claimant's claims.
    plpgsql("claims_claimant_search_rename", REFRESH_CLAIMS.format(column="claimant_id"), returns="NULL"),
    """CREATE TRIGGER claims_claimant_search_update AFTER UPDATE OF name ON claims_claimant
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION claims_claimant_search_rename()""",
    # Sources, and a retitled source's claims.
    "ALTER TABLE claims_source ADD COLUMN search_document tsvector",
    """CREATE FUNCTION claimdesk_source_document(title text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
        SELECT setweight(claimdesk_search_vector(title), 'A') || setweight(claimdesk_search_vector(body), 'B') $$""",
    "UPDATE claims_source SET search_document = claimdesk_source_document(title, text)",
    "CREATE INDEX source_search_document ON claims_source USING gin (search_document)",
    plpgsql("claims_source_search_document", "NEW.search_document := claimdesk_source_document(NEW.title, NEW.text)"),
    """CREATE TRIGGER claims_source_search_insert BEFORE INSERT ON claims_source
        FOR EACH ROW EXECUTE FUNCTION claims_source_search_document()""",
    """CREATE TRIGGER claims_source_search_update BEFORE UPDATE OF title, text ON claims_source
        FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text)
        EXECUTE FUNCTION claims_source_search_document()""",
    plpgsql("claims_source_search_retitle", REFRESH_CLAIMS.format(column="source_id"), returns="NULL"),
    """CREATE TRIGGER claims_source_search_retitle AFTER UPDATE OF title ON claims_source
        FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION claims_source_search_retitle()""",
]
POSTGRES_BACKWARDS = [
    # Dropping a trigger function drops its triggers.
    "DROP FUNCTION IF EXISTS claims_claim_search_document() CASCADE",
    "DROP FUNCTION IF EXISTS claims_claimant_search_rename() CASCADE",
    "DROP FUNCTION IF EXISTS claims_source_search_document() CASCADE",
    "DROP FUNCTION IF EXISTS claims_source_search_retitle() CASCADE",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document",  # and its index
    "ALTER TABLE claims_source DROP COLUMN IF EXISTS search_document",
    "DROP FUNCTION IF EXISTS claimdesk_claim_document(text, text, bigint, bigint)",
    "DROP FUNCTION IF EXISTS claimdesk_source_document(text, text)",
    "DROP FUNCTION IF EXISTS claimdesk_search_vector(text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS claimdesk_search",
    # The unaccent extension stays: something else may use it.
]

STATEMENTS = {
    "sqlite": (sqlite_forwards, sqlite_backwards),
    "postgresql": (lambda: POSTGRES_FORWARDS, lambda: POSTGRES_BACKWARDS),
}


def execute(schema_editor, direction):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"Claimdesk's full-text search supports SQLite and PostgreSQL, not {vendor}.")
    for statement in STATEMENTS[vendor][direction]():
        schema_editor.execute(statement, params=None)


def create_search_indexes(apps, schema_editor):
    execute(schema_editor, 0)


def drop_search_indexes(apps, schema_editor):
    execute(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_source_reader"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
