-- memseed's study history, version 2: undo, suspended cards and leeches, fitted FSRS
-- parameters, interview-date plans, and reviews that do not reschedule (cram) or that came
-- from another program (anki).

-- A suspended card is never queued; `suspended` says when, `suspended_reason` why
-- ('leech': it lapsed too often; 'manual': the person chose).
ALTER TABLE cards ADD COLUMN suspended INTEGER;
ALTER TABLE cards ADD COLUMN suspended_reason TEXT;

-- The review log gains the card's schedule before each review (so the last rating can be
-- undone exactly), and two sources. SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt with its rows.
CREATE TABLE reviews_v2 (
    id                 INTEGER PRIMARY KEY,
    card_id            INTEGER NOT NULL REFERENCES cards (id),
    at                 INTEGER NOT NULL,
    rating             INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    phase_before       TEXT    NOT NULL,
    source             TEXT    NOT NULL
                       CHECK (source IN ('study', 'quiz', 'reconstruct', 'cram', 'anki')),
    due_after          INTEGER NOT NULL,
    -- The card's schedule before this review; NULL for reviews logged before version 2,
    -- and for cram reviews, which change no schedule.
    step_before        INTEGER,
    stability_before   REAL,
    difficulty_before  REAL,
    due_before         INTEGER,
    last_review_before INTEGER,
    reps_before        INTEGER,
    lapses_before      INTEGER,
    suspended_before   INTEGER,
    reason_before      TEXT,
    -- 0 for a review that left the schedule as it was (cram).
    rescheduled        INTEGER NOT NULL DEFAULT 1 CHECK (rescheduled IN (0, 1))
);
INSERT INTO reviews_v2 (id, card_id, at, rating, phase_before, source, due_after)
    SELECT id, card_id, at, rating, phase_before, source, due_after FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_v2 RENAME TO reviews;
CREATE INDEX reviews_at ON reviews (at);
CREATE INDEX reviews_card ON reviews (card_id);

-- FSRS parameters fitted to the person's own reviews. The newest row of a scope (a topic,
-- or NULL for all) is the one in use; older rows stay as history.
CREATE TABLE fsrs_parameters (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    topic       TEXT,
    parameters  TEXT    NOT NULL,
    reviews     INTEGER NOT NULL,
    log_loss    REAL    NOT NULL,
    rmse_bins   REAL    NOT NULL
);

-- An interview date per topic (NULL topic: every topic): the study queue plans so that
-- every critical and high card is seen and reviewed before it.
CREATE TABLE plans (
    id       INTEGER PRIMARY KEY,
    topic    TEXT,
    until    INTEGER NOT NULL,
    created  INTEGER NOT NULL
);
CREATE UNIQUE INDEX plans_topic ON plans (ifnull(topic, ''));
