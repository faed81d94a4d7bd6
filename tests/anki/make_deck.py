"""Makes an Anki deck with Anki's own library and writes it in one of Anki's formats, for
the tests of memseed's reader (tests/anki.rs).

usage: make_deck.py FORMAT OUT
  FORMAT: anki2 (collection.anki2, no meta), anki21 (Anki's legacy export),
          anki21b (Anki's current export: zstd and protobuf), csv (Notes in Plain Text)

The deck "Python Quiz" has three sub-decks and twelve notes of four note types (Basic,
Basic and reversed, Cloze, and a note that shows an image), with code, HTML and non-ASCII
text. Its cards are answered with Anki's FSRS scheduler so that some lapse often (one
becomes a leech), some are reviewed cleanly, one is marked and one is never studied.
What was made is printed as JSON: per note its front, lapses and answers.
"""

import json
import os
import sys
import tempfile
import zipfile

from anki.collection import Collection, ExportAnkiPackageOptions

# front, back, sub-deck, answers given in order (1 again ... 4 good), tags
NOTES = [
    ("Descriptor protocol",
     "<b>__get__</b>, <b>__set__</b> and <b>__delete__</b> let an object customise attribute "
     "access on the class that holds it; properties and methods are built on them.",
     "Basics", [3, 3] + [1, 3] * 8, []),
    ("What does the GIL do?",
     "It lets one thread at a time run Python bytecode in an interpreter; free-threaded builds drop it.",
     "Basics", [3, 3, 1, 3, 1, 3, 1, 3, 1, 3], []),
    ("Mutable default arguments",
     "The default is evaluated once, when the function is defined, so a list default is shared by "
     "every call.<br><br>Use <code>None</code> and make the list inside."
     "<pre><code>def add(x, acc=None):\n    acc = [] if acc is None else acc\n    acc.append(x)\n    return acc</code></pre>",
     "Basics", [3, 3, 1, 3, 1, 3], []),
    ("is vs ==",
     "<i>is</i> compares identity; == compares values through __eq__.",
     "Basics", [3, 3, 3, 3, 4], []),
    ("What does await do?",
     "It suspends the coroutine until the awaitable finishes, so the event loop can run others.",
     "Async", [], []),
    ("asyncio.gather",
     "Runs awaitables concurrently and returns their results in the order they were passed.",
     "Async", [3, 3, 3], []),
    ("What does this print?<pre><code>print([i * i for i in range(3)])</code></pre>",
     "[0, 1, 4] &mdash; a list comprehension squares 0, 1 and 2.",
     "Code", [3, 3, 1, 3], []),
    ("Ünïcode: what is a str?",
     "A sequence of Unicode code points: «é» is one character and two bytes in UTF-8 → len() counts characters.",
     "Basics", [3, 3, 3], []),
    ("Generators",
     "Lazy iterators that remember where they stopped; each next() resumes them.",
     "Async", [3, 3], ["marked"]),
    ("Python logo",
     "<img src=\"logo.png\"> Two snakes, blue and yellow, drawn as one plus sign.",
     "Basics", [3, 3, 3], []),
]
REVERSED = ("list.sort()", "Sorts the list in place and returns None; sorted() makes a new list.",
            "Basics", [3, 3, 3, 3])
CLOZE = ("The {{c1::walrus operator}} := assigns a name inside an {{c2::expression}}.",
         "Since Python 3.8.", "Code", [3, 3, 1, 3])


def answer(col, card, eases):
    for ease in eases:
        card = col.get_card(card.id)
        card.start_timer()
        col.sched.answerCard(card, ease)
    return len([e for e in eases if e == 1])


def build(path):
    col = Collection(path)
    col.set_config("fsrs", True)
    models = col.models
    made = []

    def add(model_name, fields, subdeck, eases, tags, ords=(0,)):
        model = models.by_name(model_name)
        did = col.decks.id(f"Python Quiz::{subdeck}")
        note = col.new_note(model)
        for i, value in enumerate(fields):
            note.fields[i] = value
        note.tags = list(tags)
        col.add_note(note, did)
        cards = sorted(note.cards(), key=lambda c: c.ord)
        for o in ords:
            if o < len(cards):
                answer(col, cards[o], eases)
        note = col.get_note(note.id)
        lapses = sum(col.get_card(c.id).lapses for c in note.cards())
        made.append({"front": fields[0], "deck": f"Python Quiz::{subdeck}", "lapses": lapses,
                     "answers": len(eases) * len(ords), "tags": note.tags,
                     "cards": len(note.cards()), "type": model_name})

    for front, back, subdeck, eases, tags in NOTES:
        add("Basic", [front, back], subdeck, eases, tags)
    add("Basic (and reversed card)", list(REVERSED[:2]), REVERSED[2], REVERSED[3], [], ords=(0, 1))
    add("Cloze", list(CLOZE[:2]), CLOZE[2], CLOZE[3], [], ords=(0, 1))
    col.media.write_data("logo.png", b"\x89PNG\r\n\x1a\n not really a picture")
    col.decks.save(col.decks.by_name("Python Quiz") | {"desc": "Questions on <b>Python</b> I keep getting wrong."})
    return col, made


def main():
    fmt, out = sys.argv[1], os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        col, made = build(os.path.join(tmp, "collection.anki2"))
        if fmt == "csv":
            col.export_note_csv(out_path=out, limit=None, with_html=True, with_tags=True,
                                with_deck=True, with_notetype=True, with_guid=True)
        else:
            legacy = fmt != "anki21b"
            target = out if fmt != "anki2" else os.path.join(tmp, "legacy.apkg")
            col.export_anki_package(
                out_path=target,
                options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                                 with_media=True, legacy=legacy),
                limit=None,
            )
            if fmt == "anki2":
                # Anki's oldest package: the same schema-11 collection as collection.anki2,
                # with no meta entry (as Anki 2.0 and genanki write it).
                with zipfile.ZipFile(target) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                    for info in src.infolist():
                        if info.filename in ("meta", "collection.anki2"):
                            continue
                        name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
                        dst.writestr(name, src.read(info.filename))
        revlog = col.db.scalar("select count() from revlog where ease > 0")
        col.close()
    json.dump({"notes": made, "revlog": revlog}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
