/* Corpus readers: turn a source file into initiatives (oasis_doc records).
 *
 * Formats, detected from the content:
 *   records  — "NN. Département" line, title line, body lines, repeated.
 *              A header is such a line whose name resolves; when its code
 *              names another département the name wins (a misspelt name
 *              does not resolve, a mistyped code looks valid) with a
 *              warning. A line shaped as a header (a short name, no
 *              digits or sentence punctuation) whose code and name both
 *              name no département ("99. Nulle part") starts a record all
 *              the same, emitted without a département, with a warning
 *              "unknown département 99". Body lines are joined with "\n",
 *              blank ones dropped. Text before the first header is ignored
 *              with one warning; a header without a title line is a
 *              warning and skipped.
 *   listing  — a web listing page: "[Département] Title. Teaser…" items,
 *              anywhere in a line; the title runs to the first ". " ("? ",
 *              "! " kept), a final '.', the next item or the line end. Text
 *              belongs to the last item introduced. A line holding only
 *              "[Label] Title" equal (folded) to an item already met is its
 *              heading: not text, and that item takes what follows. Before
 *              the first item: leading lines of at most 4 words without
 *              . ? ! : ; … are boilerplate and dropped; the rest is a lead
 *              article, titled by a paragraph that repeats the start of
 *              another (else its first sentence), its départements found by
 *              oa_departement_scan() on its title, else its text. The text
 *              of an item is its teaser and paragraphs joined with "\n";
 *              "" when there is none. source_line: where it is introduced.
 *   jsonl    — one JSON object per line:
 *              {"id","title","text","departements":[...],"categories":[...]}
 *              null counts as absent. A line that is not a JSON object, has
 *              a member of the wrong type (an empty "id" included) or has
 *              neither title nor text is a warning, counted in skipped; one
 *              with a text but no title is emitted untitled, with a
 *              warning. Each "departements" entry is a label (see
 *              oa_departement_resolve_label()), or a whole number read as
 *              an INSEE code of at least two digits (1 is "01", 971
 *              "971"; 2A and 2B are labels).
 *
 * Each reader calls emit once per initiative, in source order. The record's
 * strings live only during the call; id is NULL for the text formats.
 * departements holds resolved INSEE codes; names that cannot be resolved are
 * reported through warn as "unknown département 'X'" (file and line) and the
 * record is still emitted. A leading BOM and CRLF line ends are accepted.
 * Called through oa_read_bytes(), a record holding a bad line (see
 * corpus/encoding.h) is not emitted: counted in skipped, already reported. */
#ifndef OASIS_CORPUS_READER_H
#define OASIS_CORPUS_READER_H

#include <stddef.h>

#include "oasis.h"

typedef enum oa_format {
    OA_FORMAT_UNKNOWN = 0,
    OA_FORMAT_RECORDS,
    OA_FORMAT_LISTING,
    OA_FORMAT_JSONL
} oa_format;

/* Returns 0 to go on; any other value stops the reader, which returns it. */
typedef int (*oa_emit_fn)(void *userdata, const oasis_doc *doc);

typedef struct oa_reader {
    const char *file;         /* name used in warnings and in source_file */
    oa_emit_fn emit;
    void *userdata;
    oasis_warning_fn warn;    /* may be NULL */
    void *warn_userdata;
    size_t warnings;          /* incremented for each warning */
    size_t skipped;           /* incremented for each record that is dropped */
} oa_reader;

/* The format of buf[0..len): JSON Lines when the first non-blank line is
 * shaped as a JSON object ("{…}": a broken first line still leaves the rest
 * readable); otherwise records or listing, whichever has more signs: "NN.
 * Name" lines naming a known département followed by a title line, or
 * "[Name]" items naming one (records on a tie). Unknown when neither. */
oa_format oa_detect_format(const char *buf, size_t len);

const char *oa_format_name(oa_format f); /* "records", "listing", "jsonl", "unknown" */

/* Readers for one format. buf is the whole file, valid UTF-8 expected
 * (invalid bytes: OASIS_EFORMAT "invalid utf-8 at line L, byte B", B
 * counted from 0 in buf). Return 0, or the first non-zero value of emit, or
 * a negative error. */
int oa_read_records(oa_reader *r, const char *buf, size_t len);
int oa_read_listing(oa_reader *r, const char *buf, size_t len);
int oa_read_jsonl(oa_reader *r, const char *buf, size_t len);

/* Detects the format and runs the matching reader; an unknown format is
 * OASIS_EFORMAT. */
int oa_read_buffer(oa_reader *r, const char *buf, size_t len);

/* Where oa_read_bytes() stands: bytes of the decoded text read, out of its
 * length (which differs from the file's after a conversion). */
typedef struct oa_read_progress {
    size_t done;
    size_t total;
} oa_read_progress;

/* A file's bytes as read from disk: decoded first (corpus/encoding.h: other
 * encodings converted, binary refused, bad lines reported and their records
 * dropped), then read as oa_read_buffer() does. A file holding only white
 * space is a warning ("empty file") and 0; a refused file or an unknown
 * format is OASIS_EFORMAT. progress (may be NULL) is kept current as
 * reading goes (emit may look at it). */
int oa_read_bytes(oa_reader *r, const char *buf, size_t len, oa_read_progress *progress);

/* A corpus file read from disk with bounded memory.
 *
 * JSON Lines files are read in blocks cut at line ends: memory holds a
 * block or two, and one line whole (a line longer than a block grows the
 * buffer for that line only), never the file. Files of the other formats
 * (records text, listing page: small web texts) are read whole into memory
 * and handed to oa_read_bytes(), and so is anything that is not a regular
 * file (a pipe cannot be read twice). Either way the result is oa_read_bytes()'s
 * on the file's bytes: the same records, warnings and skipped counts (the
 * same lines and columns), except that in a JSON Lines file the warnings of
 * bad lines come in line order among the records' warnings instead of all
 * before them.
 *
 * oa_stream_open() reads the file once (the first pass): every byte goes to
 * observe (may be NULL), in order, in pieces, and the encoding is decided
 * as corpus/encoding.h says (the whole file weighs, as before). Nothing is
 * reported yet. Returns 0; OASIS_EIO when the file cannot be opened or
 * read; OASIS_ENOMEM. A file that is to be refused (binary, UTF-16 without
 * a byte order mark, not convertible) opens: oa_stream_read() then gives
 * the OASIS_EFORMAT. block: bytes per read (at least 16); the file's bytes
 * may change between the passes, and what the second pass finds is read. */
typedef struct oa_stream oa_stream;
typedef void (*oa_bytes_fn)(void *userdata, const char *buf, size_t n);

#define OA_STREAM_BLOCK (1024 * 1024)

int oa_stream_open(oa_stream **out, const char *path, size_t block, oa_bytes_fn observe,
                   void *userdata);
/* Bytes the first pass read. */
unsigned long long oa_stream_size(const oa_stream *st);
/* Reads the records as oa_read_bytes() would (see above). progress (may be
 * NULL): done and total in bytes of the file. Call once. */
int oa_stream_read(oa_reader *r, oa_stream *st, oa_read_progress *progress);
void oa_stream_free(oa_stream *st);

#endif
