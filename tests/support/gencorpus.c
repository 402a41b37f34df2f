#include "gencorpus.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Most frequent first: draws favour the start of the list. */
const char *const t_gen_words[] = {
    "santé",        "médecins",      "logement",     "internes",     "aide",
    "département",  "installation",  "étudiants",    "maison",       "centre",
    "professionnels", "territoire",  "soins",        "accès",        "rural",
    "bourse",       "stagiaires",    "généralistes", "projet",       "accueil",
    "hébergement",  "consultation",  "télémédecine", "bus",          "dentistes",
    "infirmiers",   "kinésithérapeutes", "prévention", "attractivité", "jeunes",
    "communes",     "financement",   "subvention",   "études",       "médicale",
    "pluriprofessionnelle", "déserts", "spécialistes", "ophtalmologie", "pédiatrie",
    "itinérant",    "cabinet",       "salariés",     "contrat",      "engagement",
    "formation",    "universitaire", "hôpital",      "urgences",     "patients",
    "village",      "montagne",      "appel",        "candidatures", "plan",
    "départemental", "recrutement",  "indemnité",    "transport",    "mobilité",
    "numérique",    "cabine",        "dépistage",    "vaccination",  "sages-femmes",
    "orthophonistes", "pharmacie",   "vétérinaires", "périnatalité", "gériatrie",
    "psychiatrie",  "addictologie",  "nutrition",    "sport",        "seniors",
    "autonomie",    "handicap",      "enfance",      "famille",      "collège",
    NULL};

static const char *const phrases[] = {
    "maison de santé",      "centre de santé",        "logement des internes",
    "aide à l'installation", "bourse d'études",        "bus médical",
    "déserts médicaux",     "médecins généralistes",  "appel à projets",
    "internes en médecine", "cabinet secondaire",     "zone sous-dotée",
};

static const char *const depts[] = {
    "01", "03", "08", "15", "18", "19", "21", "23", "24", "29", "32", "36", "41",
    "43", "45", "46", "48", "52", "53", "58", "61", "70", "71", "79", "87", "89",
};

static const char *const cats[] = {
    "installation", "etudiants", "logement", "maisons-sante", "centres-sante",
    "telemedecine", "itinerance", "prevention", "attractivite", "appels-projets",
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* splitmix64: each document's draws come from its own seed, so document k
 * does not depend on the ones written before it. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* 0 <= r < n, uniform. */
static size_t below(uint64_t *s, size_t n)
{
    return (size_t)(next(s) % n);
}

/* An index into n words, favouring small ones (about Zipf's shape). */
static size_t skewed(uint64_t *s, size_t n)
{
    double u = (double)(next(s) >> 11) / 9007199254740992.0;
    return (size_t)(u * u * (double)n);
}

static size_t n_words(void)
{
    size_t n = 0;
    while (t_gen_words[n])
        n++;
    return n;
}

/* Writes words words (and now and then a phrase) separated by spaces. */
static void write_words(FILE *f, uint64_t *s, size_t words)
{
    size_t nw = n_words();
    for (size_t i = 0; i < words; i++) {
        if (i)
            fputc(' ', f);
        if (below(s, 9) == 0)
            fputs(phrases[below(s, COUNT(phrases))], f);
        else
            fputs(t_gen_words[skewed(s, nw)], f);
    }
}

int t_gen_corpus(const char *path, unsigned seed, size_t first, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t k = first; k < first + n; k++) {
        uint64_t s = ((uint64_t)seed << 32) ^ (uint64_t)k;
        next(&s);
        fprintf(f, "{\"id\":\"g%u-%zu\",\"title\":\"", seed, k);
        write_words(f, &s, 2 + below(&s, 6));
        fputs("\",\"text\":\"", f);
        write_words(f, &s, 12 + below(&s, 80));
        fputs(".\",\"departements\":[", f);
        size_t nd = 1 + (below(&s, 5) == 0);
        for (size_t i = 0; i < nd; i++)
            fprintf(f, "%s\"%s\"", i ? "," : "", depts[below(&s, COUNT(depts))]);
        fputs("]", f);
        size_t nc = below(&s, 3);
        if (nc) {
            fputs(",\"categories\":[", f);
            size_t c0 = below(&s, COUNT(cats));
            for (size_t i = 0; i < nc; i++)
                fprintf(f, "%s\"%s\"", i ? "," : "", cats[(c0 + i) % COUNT(cats)]);
            fputs("]", f);
        }
        fputs("}\n", f);
    }
    int bad = ferror(f);
    return fclose(f) == 0 && !bad ? 0 : -1;
}
