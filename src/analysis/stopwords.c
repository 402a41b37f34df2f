#include "analysis/stopwords.h"

#include <stdlib.h>

/* Written for oasis: articles, prepositions, pronouns and determiners,
 * conjunctions, the forms of être and avoir, frequent adverbs, and the
 * letters left when an elision is written with a space ("l' hôpital").
 * Domain words (santé, médecin, maison...) must never appear here; nor do
 * "bien" (bien-être) or "c" and "m" (vitamine C, M€).
 * Kept sorted by byte value: lookup is a binary search. */
static const char *const words[] = {
    "a", "afin", "ai", "aie", "aient", "aies", "ainsi", "ait",
    "alors", "apres", "as", "assez", "au", "aucun", "aucune", "aupres",
    "auquel", "aura", "aurai", "auraient", "aurais", "aurait", "auras", "aurez",
    "auriez", "aurions", "aurons", "auront", "aussi", "autre", "autres", "aux",
    "auxquelles", "auxquels", "avaient", "avais", "avait", "avant", "avec", "avez",
    "aviez", "avions", "avoir", "avons", "ayant", "ayez", "ayons", "beaucoup",
    "ca", "car", "ce", "ceci", "cela", "celle", "celles", "celui",
    "cependant", "ces", "cet", "cette", "ceux", "chaque", "chez", "ci",
    "comme", "comment", "contre", "d", "dans", "de", "deja", "depuis",
    "des", "desquelles", "desquels", "donc", "dont", "du", "duquel", "durant",
    "egalement", "elle", "elles", "en", "encore", "enfin", "ensuite", "entre",
    "envers", "es", "est", "et", "etaient", "etais", "etait", "etant",
    "etc", "ete", "etes", "etiez", "etions", "etre", "eu", "eue",
    "eues", "eumes", "eurent", "eus", "eusse", "eussent", "eusses", "eussiez",
    "eussions", "eut", "eutes", "eux", "fumes", "furent", "fus", "fusse",
    "fussent", "fusses", "fussiez", "fussions", "fut", "futes", "hors", "ici",
    "il", "ils", "j", "jamais", "je", "jusque", "l", "la",
    "laquelle", "le", "lequel", "les", "lesquelles", "lesquels", "leur", "leurs",
    "lors", "lorsque", "lui", "ma", "mais", "malgre", "me", "meme",
    "memes", "mes", "moi", "moins", "mon", "n", "ne", "neanmoins",
    "ni", "nos", "notamment", "notre", "nous", "on", "ont", "or",
    "ou", "outre", "par", "parce", "parmi", "pas", "pendant", "peu",
    "plus", "plusieurs", "pour", "pourquoi", "pourtant", "puis", "puisque", "qu",
    "quand", "que", "quel", "quelle", "quelles", "quelque", "quelques", "quels",
    "qui", "quoi", "quoique", "s", "sa", "sans", "se", "selon",
    "sera", "serai", "seraient", "serais", "serait", "seras", "serez", "seriez",
    "serions", "serons", "seront", "ses", "seulement", "si", "sinon", "soi",
    "soient", "sois", "soit", "sommes", "son", "sont", "sous", "souvent",
    "soyez", "soyons", "suis", "sur", "surtout", "t", "ta", "tandis",
    "tant", "te", "tel", "telle", "telles", "tels", "tes", "toi",
    "ton", "toujours", "tous", "tout", "toute", "toutefois", "toutes", "tres",
    "trop", "tu", "un", "une", "vers", "via", "vos", "votre",
    "vous", "y",};

#define N_WORDS (sizeof words / sizeof words[0])

typedef struct key {
    const char *s;
    size_t len;
} key;

static int compare(const void *k, const void *entry)
{
    const key *a = k;
    const char *b = *(const char *const *)entry;
    /* Compare as bytes, like LC_ALL=C sort; a proper prefix sorts first. */
    size_t i = 0;
    for (; i < a->len && b[i]; i++) {
        unsigned char x = (unsigned char)a->s[i], y = (unsigned char)b[i];
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (i < a->len)
        return 1;
    return b[i] ? -1 : 0;
}

int oa_stopword_is(const char *w, size_t len)
{
    if (len == 0 || len > OA_STOPWORD_MAX_LEN)
        return 0;
    key k = {w, len};
    return bsearch(&k, words, N_WORDS, sizeof words[0], compare) != NULL;
}

size_t oa_stopword_count(void)
{
    return N_WORDS;
}

const char *oa_stopword_at(size_t i)
{
    return i < N_WORDS ? words[i] : NULL;
}
