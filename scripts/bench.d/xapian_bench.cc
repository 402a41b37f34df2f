// xapian_bench: Xapian used the plain way, as its documentation shows it:
// TermGenerator with Stem("french") (positions on, the default stemming
// strategy), QueryParser with the same stemmer, BM25, value slots and
// ValueCountMatchSpy for facets. The contender oasis is measured against.
//
//   xapian_bench index DB CORPUS.jsonl
//   xapian_bench query DB QUERIES [--facets] [--exact] [--passes N]
//
// --exact asks for exact match counts (check_at_least = all documents), as
// oasis gives them; --facets implies it, since exact facets need it.
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <xapian.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "benchcorpus.h"
#include "benchutil.h"

namespace {

std::string joined(json_t *arr)
{
    std::string out;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (i)
            out += ',';
        out += json_string_value(v);
    }
    return out;
}

struct indexer {
    Xapian::WritableDatabase db;
    Xapian::TermGenerator tg;
};

void index_record(void *userdata, json_t *o, const char *line, size_t len)
{
    indexer &x = *static_cast<indexer *>(userdata);
    const char *id = json_string_value(json_object_get(o, "id"));
    const char *title = json_string_value(json_object_get(o, "title"));
    const char *text = json_string_value(json_object_get(o, "text"));
    json_t *depts = json_object_get(o, "departements");
    json_t *cats = json_object_get(o, "categories");
    Xapian::Document doc;
    x.tg.set_document(doc);
    // The getting-started pattern: the title once prefixed for field
    // search, then title and body for free-text search.
    x.tg.index_text(title ? title : "", 1, "S");
    x.tg.index_text(title ? title : "");
    x.tg.increase_termpos();
    x.tg.index_text(text ? text : "");
    size_t i;
    json_t *v;
    json_array_foreach(depts, i, v) doc.add_boolean_term(std::string("XD") + json_string_value(v));
    json_array_foreach(cats, i, v) doc.add_boolean_term(std::string("XC") + json_string_value(v));
    doc.add_value(0, joined(depts));
    doc.add_value(1, joined(cats));
    doc.set_data(std::string(line, len));
    std::string idterm = std::string("Q") + id;
    doc.add_boolean_term(idterm);
    x.db.replace_document(idterm, doc);
}

int index_corpus(const char *db_path, const char *corpus)
{
    indexer x;
    x.db = Xapian::WritableDatabase(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
    x.tg.set_stemmer(Xapian::Stem("french"));
    long n = bench_each_record(corpus, index_record, &x);
    if (n < 0)
        return 2;
    x.db.commit();
    std::fprintf(stderr, "xapian_bench: %ld documents indexed\n", n);
    return 0;
}

size_t sink;

int query(const char *db_path, const char *qfile, bool facets, bool exact, int passes)
{
    bench_queries qs = bench_read_queries(qfile);
    Xapian::Database db(db_path);
    Xapian::QueryParser qp;
    qp.set_stemmer(Xapian::Stem("french"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_database(db);
    Xapian::doccount all = db.get_doccount();
    std::vector<double> ms(qs.n ? qs.n : 1);
    size_t hits = 0;
    double matches = 0;
    for (int pass = 0; pass <= passes; pass++) {
        hits = 0;
        matches = 0;
        for (size_t i = 0; i < qs.n; i++) {
            double t0 = bench_now_ms();
            Xapian::Enquire enq(db);
            enq.set_weighting_scheme(Xapian::BM25Weight());
            enq.set_query(qp.parse_query(qs.v[i]));
            Xapian::ValueCountMatchSpy by_dept(0), by_cat(1);
            if (facets) {
                enq.add_matchspy(&by_dept);
                enq.add_matchspy(&by_cat);
            }
            Xapian::MSet m = enq.get_mset(0, 10, facets || exact ? all : 0);
            for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
                sink += it.get_document().get_data().size();
            if (facets) {
                // Joined keys ("54,88") are split, as a facet display needs.
                std::map<std::string, size_t> counts;
                for (Xapian::ValueCountMatchSpy *spy : {&by_dept, &by_cat})
                    for (Xapian::TermIterator t = spy->values_begin(); t != spy->values_end(); ++t) {
                        std::string k = *t;
                        size_t start = 0;
                        for (size_t j = 0; j <= k.size(); j++)
                            if (j == k.size() || k[j] == ',') {
                                counts[k.substr(start, j - start)] += t.get_termfreq();
                                start = j + 1;
                            }
                    }
                sink += counts.size();
            }
            hits += m.size();
            matches += m.get_matches_estimated();
            if (pass)
                bench_keep_min(ms.data(), i, pass, bench_now_ms() - t0);
        }
    }
    bench_report(ms.data(), qs.n, hits, matches);
    std::fprintf(stderr, "xapian_bench: %zu\n", sink & 1);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    try {
        if (argc >= 4 && std::string(argv[1]) == "index")
            return index_corpus(argv[2], argv[3]);
        if (argc >= 4 && std::string(argv[1]) == "query") {
            bool facets = false, exact = false;
            for (int i = 4; i < argc; i++) {
                facets |= std::string(argv[i]) == "--facets";
                exact |= std::string(argv[i]) == "--exact";
            }
            return query(argv[2], argv[3], facets, exact, bench_passes(argc, argv));
        }
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian_bench: %s\n", e.get_description().c_str());
        return 2;
    }
    std::fprintf(stderr, "usage: xapian_bench index DB CORPUS | query DB QUERIES [--facets] [--exact] [--passes N] [--times FILE]\n");
    return 2;
}
