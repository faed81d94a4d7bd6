"""Imports a memseed export into a fresh Anki collection with Anki's own library, twice,
and prints what Anki holds as JSON: notes with their fields, cards with their schedule and
memory state, the review log, the deck names, and what each import did.

usage: verify_import.py apkg|csv FILE [REEXPORT]

With REEXPORT, the collection as it was after the first import is exported again by Anki
as a current package (collection.anki21b, with scheduling), for the full circle back.

The Rust tests (tests/anki.rs) run it with the Python of the venv that has the `anki`
package and check the JSON against the pack the export was made from.
"""

import json
import os
import sys
import tempfile

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.import_export_pb2 import ImportCsvRequest


def import_once(col, kind, path):
    if kind == "apkg":
        req = ImportAnkiPackageRequest(
            package_path=path,
            options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False),
        )
        log = col.import_anki_package(req).log
    else:
        metadata = col.get_csv_metadata(path, None)
        log = col.import_csv(ImportCsvRequest(path=path, metadata=metadata)).log
    return {
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "conflicting": len(log.conflicting),
        "first_field_match": len(log.first_field_match),
        "missing_notetype": len(log.missing_notetype),
        "missing_deck": len(log.missing_deck),
        "empty_first_field": len(log.empty_first_field),
        "found_notes": log.found_notes,
    }


def dump(col):
    notes = []
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        notes.append(
            {
                "guid": note.guid,
                "notetype": note.note_type()["name"],
                "fields": dict(note.items()),
                "tags": note.tags,
            }
        )
    cards = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        memory = card.memory_state
        cards.append(
            {
                "guid": card.note().guid,
                "ord": card.ord,
                "deck": col.decks.name(card.did),
                "type": card.type,
                "queue": card.queue,
                "due": card.due,
                "ivl": card.ivl,
                "reps": card.reps,
                "lapses": card.lapses,
                "stability": memory.stability if memory else None,
                "difficulty": memory.difficulty if memory else None,
                # the unix time a review card falls due, by this collection's day numbering
                "due_time": col.sched.day_cutoff + (card.due - col.sched.today - 1) * 86400
                if card.type == 2
                else None,
            }
        )
    revlog = col.db.all("select id, cid, ease, ivl, lastIvl, factor, type from revlog order by id")
    decks = sorted(d.name for d in col.decks.all_names_and_ids())
    return {"notes": notes, "cards": cards, "revlog": len(revlog), "decks": decks,
            "revlog_rows": [list(r) for r in revlog[:5]]}


def main():
    kind, path = sys.argv[1], os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(os.path.join(tmp, "collection.anki2"))
        first = import_once(col, kind, path)
        state = dump(col)
        if len(sys.argv) > 3:
            col.export_anki_package(
                out_path=os.path.abspath(sys.argv[3]),
                options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False,
                                                 with_media=False, legacy=False),
                limit=None,
            )
        second = import_once(col, kind, path)
        state["first_import"] = first
        state["second_import"] = second
        state["notes_after_second"] = col.note_count()
        state["cards_after_second"] = col.card_count()
        col.close()
    json.dump(state, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
