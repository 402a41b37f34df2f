// xapc_db_dump(): the whole contents of a database as sorted text lines,
// for comparing two indexes whatever their document ids (see xapc.h).

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "oasis.h"
#include "util/error.h"
#include "xapian/guard.hh"
#include "xapian/handles.hh"
#include "xapian/xapc.h"

using namespace xapc;

namespace {

// Bytes below 0x20, DEL and the backslash as \xHH; the rest as is.
std::string esc(const std::string &s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f || c == '\\') {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", c);
            out += b;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// The document's unique id term ("Q…"), or its docid when it has none.
std::string doc_key(const Xapian::Database &db, Xapian::docid did)
{
    auto t = db.termlist_begin(did);
    t.skip_to("Q");
    if (t != db.termlist_end(did) && (*t)[0] == 'Q')
        return *t;
    return "#" + std::to_string(did);
}

void dump_doc(const Xapian::Database &db, Xapian::docid did, std::vector<std::string> &lines)
{
    Xapian::Document doc = db.get_document(did);
    std::string head = "D " + esc(doc_key(db, did)) + "\t";
    lines.push_back(head + "data " + esc(doc.get_data()));
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
        lines.push_back(head + "value " + std::to_string(v.get_valueno()) + " " + esc(*v));
    for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
        std::string l = head + "term " + esc(*t) + " " + std::to_string(t.get_wdf());
        char sep = ' ';
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
            l += sep + std::to_string(*p);
            sep = ',';
        }
        lines.push_back(l);
    }
}

} // namespace

extern "C" {

int xapc_db_dump(xapc_db *db, char **out, size_t *len)
{
    *out = nullptr;
    try {
        std::vector<std::string> lines;
        const Xapian::Database &d = db->db;
        for (auto p = d.postlist_begin(std::string()); p != d.postlist_end(std::string()); ++p)
            dump_doc(d, *p, lines);
        for (auto k = d.metadata_keys_begin(); k != d.metadata_keys_end(); ++k)
            lines.push_back("M " + esc(*k) + "\t" + esc(d.get_metadata(*k)));
        for (auto s = d.spellings_begin(); s != d.spellings_end(); ++s)
            lines.push_back("S " + esc(*s) + "\t" + std::to_string(s.get_termfreq()));
        std::sort(lines.begin(), lines.end());
        std::string text;
        for (auto &l : lines)
            text += l + "\n";
        return copy_out(text, out, len);
    } catch (...) {
        return fail(db->path.c_str());
    }
}

} // extern "C"
