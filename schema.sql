-- spacedip database schema: the one source of truth for the DDL.
--
-- The file is a sequence of forward migrations. Each starts with a line
-- `-- migration: N` and brings a database from version N-1 to version N
-- (PRAGMA user_version). A new database runs every migration in order; an
-- older one runs only those it lacks; a newer one is refused. Released
-- migrations are never edited: changes are appended as a new migration.
--
-- Vocabularies are enforced by CHECK constraints and mirror src/domain/vocab.rs.
-- Dates are ISO 8601 at the precision they are known: 'YYYY', 'YYYY-MM' or
-- 'YYYY-MM-DD'; they are never padded to a fake day. Tables are STRICT so that
-- a value of the wrong type is an error, not a silent conversion.

-- migration: 1

-- A cooperation programme (CSS, ILRS, CHANGE, ...) or a context programme
-- (OST, MOON_AGREEMENT, ARTEMIS, ...).
CREATE TABLE programme (
    id          TEXT PRIMARY KEY CHECK (id <> '' AND id NOT GLOB '*[^A-Za-z0-9_.-]*'),
    name        TEXT NOT NULL CHECK (name <> ''),
    issue_area  TEXT NOT NULL CHECK (issue_area IN
                    ('leo_human_spaceflight', 'lunar', 'deep_space', 'space_governance')),
    -- The lead agency and state: embeddedness compares partners with the lead state.
    lead_agency TEXT REFERENCES actor (id),
    lead_state  TEXT REFERENCES actor (id),
    description TEXT NOT NULL DEFAULT ''
) STRICT;

-- States, space agencies, international organisations, research institutions,
-- companies, NGOs and government bodies that take part in events.
CREATE TABLE actor (
    id      TEXT PRIMARY KEY CHECK (id <> '' AND id NOT GLOB '*[^A-Za-z0-9_.-]*'),
    name    TEXT NOT NULL CHECK (name <> ''),
    kind    TEXT NOT NULL CHECK (kind IN ('state', 'space_agency', 'international_organisation',
                'research_institution', 'company', 'ngo', 'government_body')),
    -- ISO 3166-1 alpha-3, where one applies (states).
    iso3    TEXT CHECK (iso3 IS NULL OR (length(iso3) = 3 AND iso3 NOT GLOB '*[^A-Z]*')),
    -- The state an agency or institute belongs to.
    country TEXT REFERENCES actor (id),
    -- Acronyms, other spellings and native-script names, joined by '; ', for search.
    aliases TEXT NOT NULL DEFAULT ''
) STRICT;

-- Treaties, UN bodies, IGOs, forums and plurilateral arrangements: what
-- institutional density counts.
CREATE TABLE institution (
    id          TEXT PRIMARY KEY CHECK (id <> '' AND id NOT GLOB '*[^A-Za-z0-9_.-]*'),
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL CHECK (kind IN
                    ('treaty', 'un_body', 'igo', 'forum', 'arrangement', 'programme')),
    in_force    TEXT NOT NULL CHECK (
                    in_force GLOB '[0-9][0-9][0-9][0-9]'
                    OR (in_force GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                        AND substr(in_force, 6, 2) BETWEEN '01' AND '12')
                    OR (in_force GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                        AND date(in_force, '+0 days') IS in_force)),
    ended       TEXT CHECK (ended IS NULL OR (
                    (ended GLOB '[0-9][0-9][0-9][0-9]'
                     OR (ended GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                         AND substr(ended, 6, 2) BETWEEN '01' AND '12')
                     OR (ended GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                         AND date(ended, '+0 days') IS ended))
                    AND ended >= substr(in_force, 1, length(ended)))),
    -- A page that backs the date in force.
    url         TEXT,
    description TEXT NOT NULL DEFAULT ''
) STRICT;

-- The issue areas an institution governs (many per institution).
CREATE TABLE institution_area (
    institution_id TEXT NOT NULL REFERENCES institution (id) ON DELETE CASCADE,
    issue_area     TEXT NOT NULL CHECK (issue_area IN
                       ('leo_human_spaceflight', 'lunar', 'deep_space', 'space_governance')),
    PRIMARY KEY (institution_id, issue_area)
) STRICT;

-- Membership of (or party status to) an institution, where known.
CREATE TABLE institution_member (
    institution_id TEXT NOT NULL REFERENCES institution (id) ON DELETE CASCADE,
    actor_id       TEXT NOT NULL REFERENCES actor (id),
    joined         TEXT CHECK (joined IS NULL OR joined GLOB '[0-9][0-9][0-9][0-9]*'),
    left_on        TEXT CHECK (left_on IS NULL OR left_on GLOB '[0-9][0-9][0-9][0-9]*'),
    PRIMARY KEY (institution_id, actor_id)
) STRICT;

-- A document that backs events. `type` uses CSL's names.
CREATE TABLE source (
    id        TEXT PRIMARY KEY CHECK (id <> '' AND id NOT GLOB '*[^A-Za-z0-9_.-]*'),
    type      TEXT NOT NULL CHECK (type IN ('article-journal', 'article-newspaper', 'webpage',
                  'report', 'legislation', 'treaty', 'speech', 'book', 'chapter', 'post-weblog')),
    author    TEXT,
    title     TEXT NOT NULL CHECK (title <> ''),
    -- The journal, newspaper or site it appeared in.
    container TEXT,
    publisher TEXT,
    issued    TEXT CHECK (issued IS NULL OR issued GLOB '[0-9][0-9][0-9][0-9]*'),
    url       TEXT CHECK (url IS NULL OR url GLOB 'http*://*'),
    doi       TEXT,
    language  TEXT,
    accessed  TEXT CHECK (accessed IS NULL OR accessed GLOB '[0-9][0-9][0-9][0-9]*')
) STRICT;

-- A cooperation event.
CREATE TABLE event (
    id             TEXT PRIMARY KEY CHECK (id <> '' AND id NOT GLOB '*[^A-Za-z0-9_.-]*'),
    date_start     TEXT NOT NULL CHECK (
                       date_start GLOB '[0-9][0-9][0-9][0-9]'
                       OR (date_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                           AND substr(date_start, 6, 2) BETWEEN '01' AND '12')
                       OR (date_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                           AND date(date_start, '+0 days') IS date_start)),
    date_end       TEXT CHECK (date_end IS NULL OR (
                       (date_end GLOB '[0-9][0-9][0-9][0-9]'
                        OR (date_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                            AND substr(date_end, 6, 2) BETWEEN '01' AND '12')
                        OR (date_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                            AND date(date_end, '+0 days') IS date_end))
                       -- The end may not fall before the start, compared at the end's precision.
                       AND date_end >= substr(date_start, 1, length(date_end)))),
    -- Derived, so that it can never disagree with date_start.
    date_precision TEXT GENERATED ALWAYS AS (CASE length(date_start)
                       WHEN 4 THEN 'year' WHEN 7 THEN 'month' ELSE 'day' END) VIRTUAL,
    -- The first and last calendar day the event can stand for: date filters select
    -- events whose span [day_lo, day_hi] overlaps the asked period.
    day_lo         TEXT GENERATED ALWAYS AS (CASE length(date_start)
                       WHEN 4 THEN date_start || '-01-01'
                       WHEN 7 THEN date_start || '-01'
                       ELSE date_start END) STORED,
    day_hi         TEXT GENERATED ALWAYS AS (CASE length(coalesce(date_end, date_start))
                       WHEN 4 THEN coalesce(date_end, date_start) || '-12-31'
                       WHEN 7 THEN date(coalesce(date_end, date_start) || '-01',
                                        '+1 month', '-1 day')
                       ELSE coalesce(date_end, date_start) END) STORED,
    programme_id   TEXT NOT NULL REFERENCES programme (id),
    kind           TEXT NOT NULL CHECK (kind IN ('mou', 'joint_statement', 'agreement',
                       'announcement_of_opportunity', 'selection', 'workshop', 'launch',
                       'accession', 'ratification', 'statement', 'other')),
    channel        TEXT NOT NULL CHECK (channel IN
                       ('un_multilateral', 'multilateral', 'bilateral', 'national')),
    title          TEXT NOT NULL CHECK (title <> ''),
    summary        TEXT NOT NULL DEFAULT '',
    -- Coding caveats and conflicting sources.
    notes          TEXT NOT NULL DEFAULT ''
) STRICT;

-- Who took part in an event, and as what. `position` keeps the coded order.
CREATE TABLE event_actor (
    event_id TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actor (id),
    role     TEXT NOT NULL DEFAULT 'partner' CHECK (role IN ('lead', 'signatory', 'partner',
                 'host', 'organiser', 'participant', 'selected', 'observer', 'depositary',
                 'witness', 'subject')),
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, actor_id)
) STRICT;

-- Institutions an event runs through or is held at.
CREATE TABLE event_institution (
    event_id       TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institution (id),
    position       INTEGER NOT NULL,
    PRIMARY KEY (event_id, institution_id)
) STRICT;

-- The sources behind an event, with an optional locator (page, paragraph).
CREATE TABLE event_source (
    event_id  TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    source_id TEXT NOT NULL REFERENCES source (id),
    locator   TEXT,
    position  INTEGER NOT NULL,
    PRIMARY KEY (event_id, source_id)
) STRICT;

-- Indexes for the filters and the joins.
CREATE INDEX event_programme ON event (programme_id, day_lo);
CREATE INDEX event_channel ON event (channel, day_lo);
CREATE INDEX event_kind ON event (kind);
CREATE INDEX event_span ON event (day_lo, day_hi);
CREATE INDEX event_actor_actor ON event_actor (actor_id);
CREATE INDEX event_institution_institution ON event_institution (institution_id);
CREATE INDEX event_source_source ON event_source (source_id);
CREATE INDEX institution_member_actor ON institution_member (actor_id);

-- migration: 2

-- Every change made after the seed: imports, edits, deletions, restores and undos. A change
-- writes its rows here in the same transaction as the change itself, so the history can never
-- disagree with the data. `before` and `after` hold the whole record as JSON (NULL when it did
-- not exist), which is what `restore` and undo bring back. (Since migration 7 an import leaves
-- `after` out: see there.)
CREATE TABLE history (
    id        INTEGER PRIMARY KEY,
    -- One batch per transaction: an import of many records is one change, undone at once.
    batch     INTEGER NOT NULL,
    -- UTC, RFC 3339 with microseconds, so that text order is time order.
    at        TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
    -- The OS user ($USER, $LOGNAME, $USERNAME or the uid's login name), or 'unknown'.
    os_user   TEXT NOT NULL,
    operation TEXT NOT NULL CHECK (operation IN
                  ('insert', 'update', 'delete', 'restore', 'import', 'undo')),
    entity    TEXT NOT NULL CHECK (entity IN
                  ('event', 'programme', 'actor', 'institution', 'membership', 'source')),
    -- The record's id (a membership's is 'INSTITUTION/ACTOR').
    entity_id TEXT NOT NULL,
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    after     TEXT CHECK (after IS NULL OR json_valid(after)),
    -- For an undo: the batch it reverts.
    undoes    INTEGER,
    CHECK (before IS NOT NULL OR after IS NOT NULL)
) STRICT;

CREATE INDEX history_entity ON history (entity, entity_id, id);
CREATE INDEX history_batch ON history (batch);

-- Saved views: a named filter (with its sort and search) stored with the data.
CREATE TABLE view (
    name    TEXT PRIMARY KEY CHECK (name <> ''),
    -- The serialised domain Filter.
    filter  TEXT NOT NULL CHECK (json_valid(filter)),
    created TEXT NOT NULL,
    updated TEXT NOT NULL
) STRICT;

-- migration: 3

-- The coding model of release 3: what the CSS–ILRS comparison needs beyond a channel.
-- An event's valence (cooperation, or a move against it), the venue where it happened (apart
-- from the channel, which describes the instrument) and the earlier event of the same
-- instrument it follows (signature → ratification → entry into force → withdrawal). `follows`
-- has no foreign key on purpose: replacing an event deletes and re-inserts its row, which
-- must not cut the links of later events; the import checks every link (existence, order,
-- cycles) before anything is written.
ALTER TABLE event ADD COLUMN valence TEXT NOT NULL DEFAULT 'cooperation'
    CHECK (valence IN ('cooperation', 'refusal', 'withdrawal', 'obstacle'));
ALTER TABLE event ADD COLUMN venue TEXT REFERENCES institution (id);
ALTER TABLE event ADD COLUMN follows TEXT
    CHECK (follows IS NULL OR (follows <> '' AND follows NOT GLOB '*[^A-Za-z0-9_.-]*'));
CREATE INDEX event_valence ON event (valence);
CREATE INDEX event_follows ON event (follows) WHERE follows IS NOT NULL;

-- A party named only in press reports or by the other side is 'claimed'.
ALTER TABLE event_actor ADD COLUMN certainty TEXT NOT NULL DEFAULT 'confirmed'
    CHECK (certainty IN ('confirmed', 'claimed'));

-- What the density specifications read: universal or area scope, openness, a legalisation
-- weight (NULL: the kind's documented default) and the programme an institution belongs to.
ALTER TABLE institution ADD COLUMN scope TEXT NOT NULL DEFAULT 'area'
    CHECK (scope IN ('universal', 'area'));
ALTER TABLE institution ADD COLUMN open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1));
ALTER TABLE institution ADD COLUMN legalisation REAL CHECK (legalisation IS NULL OR legalisation >= 0);
ALTER TABLE institution ADD COLUMN programme_id TEXT REFERENCES programme (id);

-- A join date known only by bounds: `joined` is the earliest, `joined_latest` the latest.
ALTER TABLE institution_member ADD COLUMN joined_latest TEXT
    CHECK (joined_latest IS NULL OR joined_latest GLOB '[0-9][0-9][0-9][0-9]*');

-- A decision year set by hand (otherwise derived from the events).
ALTER TABLE programme ADD COLUMN decision_year INTEGER
    CHECK (decision_year IS NULL OR decision_year BETWEEN 1 AND 9999);

-- A database made by an earlier release holds that release's seed: give its institutions the
-- tags of the seed's, so that its measures mean what they mean on a fresh database. (Its
-- events are not touched; `spacedip init --force` loads the corrected seed, keeping the old
-- file as a backup.)
UPDATE institution SET scope = 'universal'
    WHERE id IN ('OST', 'RESCUE', 'LIABILITY', 'REGISTRATION', 'COPUOS', 'UNOOSA');
UPDATE institution SET open = 0
    WHERE id IN ('ISS_IGA', 'ARTEMIS_ACCORDS', 'APSCO', 'SCO', 'BRICS');
UPDATE institution SET programme_id = 'ILRS'
    WHERE id = 'ILRS' AND EXISTS (SELECT 1 FROM programme WHERE id = 'ILRS');
UPDATE institution SET programme_id = 'CSS'
    WHERE id = 'A2S4A' AND EXISTS (SELECT 1 FROM programme WHERE id = 'CSS');
UPDATE institution SET programme_id = 'ISS'
    WHERE id = 'ISS_IGA' AND EXISTS (SELECT 1 FROM programme WHERE id = 'ISS');
UPDATE institution SET programme_id = 'ARTEMIS'
    WHERE id = 'ARTEMIS_ACCORDS' AND EXISTS (SELECT 1 FROM programme WHERE id = 'ARTEMIS');

-- migration: 4

-- The table's default order (date, then id) read straight from an index: a browser at a
-- million events fetches the rows it shows, and search orders its hits, without sorting.
DROP INDEX IF EXISTS event_span;
CREATE INDEX event_span ON event (day_lo, day_hi, id);

-- migration: 5

-- Saved views carry the number of their format, so that a view saved by a newer spacedip is
-- refused by name rather than read with its new fields dropped. Every view saved before is
-- format 1: the filter's fields, now with `"version": 1`.
UPDATE view SET filter = json_set(filter, '$.version', 1)
    WHERE json_type(filter) = 'object' AND json_type(filter, '$.version') IS NULL;

-- migration: 6

-- Running sums of the events, per programme, that the whole-record measures read, so that
-- `stats` costs per programme, not per event (see src/domain/tally.rs). Every write spacedip
-- makes to events updates them in the same transaction; `spacedip check` counts them again
-- from the events. A tally is a count per key; a key whose count falls to 0 is deleted.
-- Years are the start year; `formal` marks formal instruments (mou, joint_statement,
-- agreement, announcement_of_opportunity, accession, ratification).
CREATE TABLE tally_channel (
    programme_id TEXT NOT NULL,
    year         INTEGER NOT NULL,
    channel      TEXT NOT NULL,
    cooperation  INTEGER NOT NULL CHECK (cooperation IN (0, 1)),
    formal       INTEGER NOT NULL CHECK (formal IN (0, 1)),
    n            INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (programme_id, year, channel, cooperation, formal)
) STRICT, WITHOUT ROWID;

-- Parties in any role but `subject`; `claimed` for a party only claimed. Keyed first by the
-- flags the default coding rule selects on, so that it reads one range per programme.
CREATE TABLE tally_party (
    programme_id TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    cooperation  INTEGER NOT NULL CHECK (cooperation IN (0, 1)),
    formal       INTEGER NOT NULL CHECK (formal IN (0, 1)),
    claimed      INTEGER NOT NULL CHECK (claimed IN (0, 1)),
    n            INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (programme_id, cooperation, claimed, actor_id, formal)
) STRICT, WITHOUT ROWID;

-- Two parties (a < b) of one event, neither a `subject` and not both `selected`; `claimed`
-- when either is only claimed.
CREATE TABLE tally_tie (
    programme_id TEXT NOT NULL,
    a            TEXT NOT NULL,
    b            TEXT NOT NULL,
    cooperation  INTEGER NOT NULL CHECK (cooperation IN (0, 1)),
    formal       INTEGER NOT NULL CHECK (formal IN (0, 1)),
    claimed      INTEGER NOT NULL CHECK (claimed IN (0, 1)),
    n            INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (programme_id, cooperation, claimed, a, b, formal)
) STRICT, WITHOUT ROWID;

INSERT INTO tally_channel
    SELECT programme_id, CAST(substr(date_start, 1, 4) AS INTEGER), channel,
           valence = 'cooperation',
           kind IN ('mou', 'joint_statement', 'agreement', 'announcement_of_opportunity',
                    'accession', 'ratification'),
           count(*)
    FROM event GROUP BY 1, 2, 3, 4, 5;
INSERT INTO tally_party
    SELECT e.programme_id, a.actor_id, e.valence = 'cooperation',
           e.kind IN ('mou', 'joint_statement', 'agreement', 'announcement_of_opportunity',
                      'accession', 'ratification'),
           a.certainty = 'claimed', count(*)
    FROM event_actor a JOIN event e ON e.id = a.event_id
    WHERE a.role <> 'subject'
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO tally_tie
    SELECT e.programme_id, p.actor_id, q.actor_id, e.valence = 'cooperation',
           e.kind IN ('mou', 'joint_statement', 'agreement', 'announcement_of_opportunity',
                      'accession', 'ratification'),
           p.certainty = 'claimed' OR q.certainty = 'claimed', count(*)
    FROM event_actor p
    JOIN event_actor q ON q.event_id = p.event_id AND p.actor_id < q.actor_id
    JOIN event e ON e.id = p.event_id
    WHERE p.role <> 'subject' AND q.role <> 'subject'
      AND NOT (p.role = 'selected' AND q.role = 'selected')
    GROUP BY 1, 2, 3, 4, 5, 6;

-- migration: 7

-- An import's history row may leave out the record it wrote: `after` NULL with operation
-- 'import' (an import never deletes, so this cannot be read as a deletion). spacedip does so
-- for events and sources, which only recorded changes alter. The record as imported is then
-- the `before` of the next change of the same record, or, when nothing has changed it since,
-- the record as it is now; `history`, `restore` and undo read it back that way
-- (src/db/history.rs). A million imported events are not stored a second time as JSON.
-- Only the CHECK changes, and it now allows more than it did, so every row stays valid: the
-- table is edited in place, as SQLite documents for relaxing a CHECK, instead of being copied
-- (the migration runner then moves the schema cookie on, so every connection reads it again).
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, 'CHECK (before IS NOT NULL OR after IS NOT NULL)',
                     'CHECK (before IS NOT NULL OR after IS NOT NULL OR operation = ''import'')')
 WHERE type = 'table' AND name = 'history';
PRAGMA writable_schema = OFF;

-- migration: 8

-- The parties and ties of the running tally, packed: one row per programme and set of flags
-- instead of a row per actor and a row per pair of actors. A corpus of hundreds of
-- programmes among tens of thousands of actors holds tens of millions of ties; `stats`
-- stepped through every one of them (seconds), where it now reads a few values per
-- programme. The layout of the three values is in src/db/tally/web.rs:
-- `actors`, the actor ids in byte order separated by a space; `parties`, how many events each
-- is a party to (4-byte little-endian, in the same order; 0 for an actor only tied under
-- these flags); `ties`, each pair (a < b, positions in `actors`) with its count, 4-byte
-- little-endian each, in order. Parties are those of `tally_party` (any role but `subject`;
-- `claimed` for a party only claimed), ties those of `tally_tie` (neither a `subject`, not
-- both `selected`; `claimed` when either is only claimed). spacedip moves the rows of the
-- two tables here as it applies this migration, and migration 9 drops them.
CREATE TABLE tally_web (
    programme_id TEXT NOT NULL,
    cooperation  INTEGER NOT NULL CHECK (cooperation IN (0, 1)),
    claimed      INTEGER NOT NULL CHECK (claimed IN (0, 1)),
    formal       INTEGER NOT NULL CHECK (formal IN (0, 1)),
    actors       TEXT NOT NULL,
    parties      BLOB NOT NULL,
    ties         BLOB NOT NULL,
    PRIMARY KEY (programme_id, cooperation, claimed, formal)
) STRICT;
-- (A rowid table on purpose: in a table WITHOUT ROWID every step of a search compared the
-- key with whole rows, reading each packed value that it passed on the way.)

-- migration: 9

DROP TABLE tally_party;
DROP TABLE tally_tie;

-- migration: 10

-- The word index that narrows a search before it is scored (src/search/index.rs): each
-- token of the events' own texts (the folded words of id, title and summary, and the pairs
-- of initials an acronym of a title would use) with the row ids of the events that hold it,
-- delta-coded. A token may have several rows, one per load that added events; a row id may
-- stay after its event was changed or deleted, as every candidate is matched again in full:
-- the index only has to hold every event's current tokens somewhere. What it does not hold
-- yet, `search_pending` does: the triggers below put there every event inserted, or whose
-- searched texts changed, by spacedip or any other program, and a search scores those
-- events whatever the index says. spacedip indexes them after each import and load, and
-- `spacedip check --recount` builds the whole index again.
CREATE TABLE search_token (
    id     INTEGER PRIMARY KEY,
    token  TEXT NOT NULL,
    events BLOB NOT NULL
) STRICT;
CREATE INDEX search_token_token ON search_token (token);

-- Every word token of `search_token` once, in byte order, each followed by a line feed, in
-- one value: a search reads the vocabulary it matches a term against in one step instead of
-- a million (a corpus whose ids or hashes are words of their own has a token per event).
CREATE TABLE search_vocabulary (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    tokens BLOB NOT NULL
) STRICT;
INSERT INTO search_vocabulary (id, tokens) VALUES (1, X'');

CREATE TABLE search_pending (
    event INTEGER PRIMARY KEY
) STRICT;

CREATE TRIGGER search_pending_insert AFTER INSERT ON event
BEGIN
    INSERT OR IGNORE INTO search_pending (event) VALUES (new.rowid);
END;

CREATE TRIGGER search_pending_update AFTER UPDATE OF id, title, summary ON event
BEGIN
    INSERT OR IGNORE INTO search_pending (event) VALUES (new.rowid);
END;

-- The events already stored wait for the index like any other: spacedip indexes them as it
-- applies this migration.
INSERT INTO search_pending (event) SELECT rowid FROM event;
