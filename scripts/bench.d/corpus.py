#!/usr/bin/env python3
"""Builds the benchmark's French corpus and query set.

Reads the French documentation unpacked from Debian packages (HTML pages
and man pages), strips the markup, cuts the text into documents of a few
hundred words and writes them as oasis JSON Lines. Everything random
(départements, categories, sampling, recombined documents, queries) comes
from one seeded generator, so the same seed and packages give the same
files.

    corpus.py --src DIR [--src DIR]... --root OASIS_ROOT --docs N --out FILE.jsonl
              --queries FILE.txt [--n-queries 1000] [--seed S]
"""
import argparse
import gzip
import hashlib
import html.parser
import json
import os
import random
import re
import sys
import unicodedata
import zipfile

WORD = re.compile(r"[^\W\d_]+")
SPACES = re.compile(r"\s+")

# Block elements: text inside one becomes one paragraph.
BLOCKS = {"p", "li", "dd", "dt", "td", "th", "div", "blockquote", "caption", "section",
          "article", "table", "tr", "ul", "ol", "dl", "body", "br", "figcaption"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
SKIPPED = {"script", "style", "pre", "head", "nav", "noscript", "svg", "math"}


class HtmlText(html.parser.HTMLParser):
    """Collects (heading, paragraph) pairs from a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []  # (kind, text): kind "h" or "p"
        self.buf = []
        self.skip = 0
        self.heading = 0

    def flush(self):
        text = SPACES.sub(" ", "".join(self.buf)).strip()
        self.buf = []
        if text:
            self.out.append(("h" if self.heading else "p", text))

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.flush()
            self.skip += 1
        elif tag in HEADINGS:
            self.flush()
            self.heading += 1
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
            self.buf = []
        elif tag in HEADINGS:
            self.flush()
            self.heading = max(0, self.heading - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def html_paragraphs(path, raw=None):
    if raw is None:
        with open(path, "rb") as f:
            raw = f.read()
    p = HtmlText()
    try:
        p.feed(raw.decode("utf-8", errors="replace"))
        p.close()
    except Exception:  # a broken page gives what was read so far
        pass
    p.flush()
    return p.out


ROFF_ESCAPES = [
    (re.compile(r"\\f(\[[^\]]*\]|\(..|.)"), ""),      # fonts
    (re.compile(r"\\s[+-]?\d"), ""),                   # sizes
    (re.compile(r"\\\*(\[[^\]]*\]|\(..|.)"), ""),      # strings
    (re.compile(r"\\\(aq"), "'"), (re.compile(r"\\\((lq|rq|dq)"), '"'),
    (re.compile(r"\\\((Fo|Fc)"), '"'), (re.compile(r"\\\((em|en|hy)"), "-"),
    (re.compile(r"\\\(..|\\\[[^\]]*\]"), ""),          # other special characters
    (re.compile(r"\\[-]"), "-"), (re.compile(r"\\[&|^%]"), ""), (re.compile(r"\\e"), r"\\"),
    (re.compile(r"\\ "), " "), (re.compile(r"\\c$"), ""), (re.compile(r"\\."), ""),
]
ROFF_TEXT_MACROS = {".B", ".I", ".BR", ".IR", ".RB", ".RI", ".BI", ".IB", ".SM", ".SB"}


def roff_text(s):
    for rx, rep in ROFF_ESCAPES:
        s = rx.sub(rep, s)
    return s


def man_paragraphs(path):
    """A man page's text: macros dropped, font macros' words kept, .SH/.SS
    as headings, .PP/.TP/.IP and blank lines as paragraph breaks."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read().decode("utf-8", errors="replace")
    except (OSError, EOFError):
        return []
    out, buf = [], []

    def flush(kind="p"):
        text = SPACES.sub(" ", " ".join(buf)).strip()
        buf.clear()
        if text:
            out.append((kind, text))

    skip = False  # inside .nf/.EX blocks: examples, not prose
    for line in raw.split("\n"):
        if line.startswith(".so "):
            return []  # a link to another page
        if line.startswith((".nf", ".EX")):
            flush()
            skip = True
            continue
        if line.startswith((".fi", ".EE")):
            skip = False
            continue
        if skip or line.startswith(('.\\"', "'\\\"", '\\"')):
            continue
        if line.startswith((".", "'")):
            parts = line.split(None, 1)
            macro = parts[0]
            arg = parts[1] if len(parts) > 1 else ""
            if macro in (".SH", ".SS"):
                flush()
                buf.append(roff_text(arg.replace('"', "")))
                flush("h")
            elif macro == ".TH":
                flush()
                toks = arg.replace('"', " ").split()
                buf.append(roff_text(toks[0] if toks else ""))
                flush("h")
            elif macro in ROFF_TEXT_MACROS:
                buf.append(roff_text(arg.replace('"', "")))
            else:
                flush()
            continue
        if not line.strip():
            flush()
        else:
            buf.append(roff_text(line))
    flush()
    return out


def jar_paragraphs(path):
    """The French HTML pages inside a help archive (scilab's .jar)."""
    out = []
    try:
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                if name.endswith(".html"):
                    out.extend(html_paragraphs(name, z.read(name)))
    except (OSError, zipfile.BadZipFile):
        pass
    return out


def source_files(src):
    """Every readable file under src, in a stable order: HTML and Mallard
    pages, man pages, help archives; French ones only where a package holds
    several languages."""
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.islink(path):
                continue
            low = name.lower()
            if "/help/" in path and "/usr/share/help/" in path and "/help/fr/" not in path:
                continue
            if low.endswith(".jar") and "fr" in low:
                yield path, jar_paragraphs
            elif low.endswith((".html", ".htm", ".xhtml", ".page")):
                # lilypond's pages come in several languages: French ones only.
                if "lilypond" in path and ".fr." not in low:
                    continue
                if "debian-handbook" in path and "/fr-FR/" not in path:
                    continue
                yield path, html_paragraphs
            elif "/man/" in path and low.endswith(".gz") and "/fr" in path:
                yield path, man_paragraphs


def words(text):
    return WORD.findall(text)


FRENCH_MARKS = set("le la les de des du et un une est pour dans que qui sur par avec au aux "
                   "ce cette sont pas vous ou".split())
ENGLISH_MARKS = set("the and of to is in for with that this are be by or you it".split())


# Letters of other scripts (Greek, Cyrillic, Arabic, Indic, CJK...) and
# combining marks that follow no letter: language lists and samples, not
# French prose.
FOREIGN = re.compile("[\u0370-\u052f\u0590-\u0fff\u1100-\u11ff\u3040-\u9fff\uac00-\ud7af]"
                     "|(?<![^\\W\\d_])[\u0300-\u036f]")


def french(ws):
    """False for paragraphs left untranslated (more English marks than French)."""
    fr = en = 0
    for w in ws:
        lw = w.lower()
        fr += lw in FRENCH_MARKS
        en += lw in ENGLISH_MARKS
    return fr > en or (fr == en == 0 and len(ws) < 12)


def sections(srcs, min_words):
    """Yields, per file, its list of (heading, paragraph, n_words), with
    paragraphs already seen anywhere (boilerplate, duplicate manuals) left
    out."""
    seen = set()
    for path, reader in (f for src in srcs for f in source_files(src)):
        heading, items = None, []
        for kind, text in reader(path):
            if kind == "h":
                heading = text[:160]
                continue
            ws = words(text)
            n = len(ws)
            if n < min_words or not french(ws) or FOREIGN.search(text):
                continue
            key = hashlib.blake2b(text.lower().encode(), digest_size=12).digest()
            if key in seen:
                continue
            seen.add(key)
            items.append((heading, text, n))
        if items:
            yield path, items


def cut_documents(srcs, rng, enough):
    """Cuts each file's paragraphs into documents of 150 to 400 words, until
    there are `enough`. Returns (documents, paragraph pool); a document is
    (title, [paragraphs])."""
    docs, pool = [], []
    for path, items in sections(srcs, 4):
        if len(docs) >= enough:
            break
        fallback = os.path.basename(path).split(".")[0]
        cur, cur_words, title, goal = [], 0, None, rng.randint(150, 400)
        for heading, text, n in items:
            pool.append((heading or fallback, text, n))
            if not cur:
                title = heading or fallback
            cur.append(text)
            cur_words += n
            if cur_words >= goal:
                docs.append((title, cur))
                cur, cur_words, goal = [], 0, rng.randint(150, 400)
        if cur and cur_words >= 60:
            docs.append((title, cur))
        elif cur and docs:
            docs[-1][1].extend(cur)
    return docs, pool


def recombined(pool, rng, count):
    """count documents made of paragraphs drawn at random from the pool, for
    sizes beyond the distinct text the packages hold."""
    out = []
    for _ in range(count):
        goal = rng.randint(150, 400)
        first = rng.randrange(len(pool))
        title = pool[first][0]
        paras, n = [], 0
        i = first
        while n < goal:
            paras.append(pool[i][1])
            n += pool[i][2]
            # Mostly the following paragraph, sometimes a jump: documents
            # read like their sources but are not copies of one another.
            i = i + 1 if rng.random() < 0.6 and i + 1 < len(pool) else rng.randrange(len(pool))
        out.append((title, paras))
    return out


def read_table(path, key):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = None
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            rows.append(dict(zip(header, cols))[key])
    return rows


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# Words too common to be searched alone; a query set of them would only
# measure stop-word handling, which the contenders do differently.
COMMON = set("""le la les un une des de du et ou en au aux ce ces cet cette il ils elle elles
on nous vous je tu que qui quoi dont est sont sur sous par pour dans avec sans pas plus ne se
sa son ses leur leurs lui mais comme si tout tous toute toutes peut être avoir fait été aussi
ainsi alors the and for not are this that with you from can will all any""".split())


def make_queries(docs, rng, n):
    out = []
    while len(out) < n:
        title, paras = docs[rng.randrange(len(docs))]
        ws = [w.lower() for w in words(rng.choice(paras))]
        ws = [w for w in ws if len(w) >= 3 and w not in COMMON]
        if not ws:
            continue
        k = rng.choices([1, 2, 3], weights=[4, 4, 2])[0]
        start = rng.randrange(len(ws))
        q = " ".join(ws[start:start + k])
        if rng.random() < 0.3:
            q = strip_accents(q)
        out.append(q)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", required=True, action="append",
                    help="a directory of unpacked packages (repeatable, read in order)")
    ap.add_argument("--root", required=True, help="oasis source tree (for the tables)")
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--n-queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20250601)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    depts = read_table(os.path.join(a.root, "corpus/departements.tsv"), "code")
    cats = read_table(os.path.join(a.root, "corpus/categories.tsv"), "slug")
    docs, pool = cut_documents(a.src, rng, a.docs)
    distinct = len(docs)
    if not docs:
        sys.exit("corpus.py: no text found under " + " ".join(a.src))
    rng.shuffle(docs)
    if a.docs <= distinct:
        docs = docs[:a.docs]
    else:
        docs = docs + recombined(pool, rng, a.docs - distinct)

    tmp = a.out + ".tmp"
    text_bytes = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for i, (title, paras) in enumerate(docs):
            text = "\n\n".join(paras)
            text_bytes += len(title.encode()) + len(text.encode())
            nd = rng.choices([1, 2, 3], weights=[80, 15, 5])[0]
            nc = rng.choices([0, 1, 2], weights=[20, 60, 20])[0]
            rec = {"id": "b%06d" % i, "title": title, "text": text,
                   "departements": rng.sample(depts, nd), "categories": rng.sample(cats, nc)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(tmp, a.out)
    queries = make_queries(docs, rng, a.n_queries)
    with open(a.queries, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    json.dump({"docs": len(docs), "distinct": min(distinct, len(docs)),
               "recombined": max(0, len(docs) - distinct), "available": distinct,
               "text_bytes": text_bytes, "paragraphs": len(pool)},
              open(a.out + ".meta.json", "w"))
    print("corpus.py: %d documents (%d distinct available, %d recombined), %.1f MB of text"
          % (len(docs), distinct, max(0, len(docs) - distinct), text_bytes / 1e6), file=sys.stderr)


if __name__ == "__main__":
    main()
