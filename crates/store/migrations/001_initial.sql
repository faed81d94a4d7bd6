-- memseed's study history, version 1.
-- A card is one thing to recall, keyed by topic, item id and kind. A card whose item left
-- its pack is retired (retired = when), never deleted, so its history stays.
CREATE TABLE cards (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    topic       TEXT    NOT NULL,
    item        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    phase       TEXT    NOT NULL DEFAULT 'new'
                CHECK (phase IN ('new', 'learning', 'review', 'relearning')),
    step        INTEGER NOT NULL DEFAULT 0,
    stability   REAL,
    difficulty  REAL,
    due         INTEGER NOT NULL,
    last_review INTEGER,
    reps        INTEGER NOT NULL DEFAULT 0,
    lapses      INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL,
    retired     INTEGER
);
CREATE INDEX cards_topic_due ON cards (topic, due);

-- Every rating given, from study sessions, quizzes and the reconstruct drill.
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    card_id       INTEGER NOT NULL REFERENCES cards (id),
    at            INTEGER NOT NULL,
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    phase_before  TEXT    NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('study', 'quiz', 'reconstruct')),
    due_after     INTEGER NOT NULL
);
CREATE INDEX reviews_at ON reviews (at);
CREATE INDEX reviews_card ON reviews (card_id);

-- One answer of a quiz, self-graded.
CREATE TABLE quiz_answers (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    topic    TEXT    NOT NULL,
    level    TEXT    NOT NULL,
    item     TEXT    NOT NULL,
    correct  INTEGER NOT NULL CHECK (correct IN (0, 1)),
    seconds  REAL
);

-- What was missed, to look back on.
CREATE TABLE error_journal (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    topic     TEXT    NOT NULL,
    item      TEXT    NOT NULL,
    source    TEXT    NOT NULL,
    prompt    TEXT    NOT NULL,
    card_key  TEXT
);
CREATE INDEX error_journal_at ON error_journal (at);
