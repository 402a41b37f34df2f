#!/usr/bin/env python3
"""Runs the benchmark: oasis against plain Xapian and SQLite FTS5 on the
same French corpus and queries, in one run, and prints ratios, a Markdown
table and PASS/FAIL per target. Called by scripts/bench, which installs
and builds what this needs; see scripts/bench --help.

Exit status: 0 when every contender ran (missed targets included), 1 when
a run broke.
"""
import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

CONTENDERS = ("oasis", "xapian", "fts5")
NAMES = {"oasis": "oasis", "xapian": "Xapian (plain)", "fts5": "SQLite FTS5"}

# The French documentation the corpus is made of, in reading order. The
# quick mode reads the first three only.
PACKAGES = ["manpages-fr", "debian-reference-fr", "libreoffice-help-fr", "manpages-fr-dev",
            "debian-handbook", "gimp-help-fr", "lilypond-doc-html-fr", "scilab-doc-fr",
            "gnome-user-docs", "aptitude-doc-fr", "debian-faq-fr", "developers-reference-fr",
            "maint-guide-fr", "debian-edu-doc-fr", "texworks-help-fr",
            "ubuntu-packaging-guide-html-fr"]
QUICK_PACKAGES = PACKAGES[:3]


class Broken(Exception):
    """A contender or a step failed: the run is not valid."""


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Runs cmd; a non-zero exit (other than those allowed) is Broken."""
    ok = kw.pop("ok", (0,))
    p = subprocess.run(cmd, **kw)
    if p.returncode not in ok:
        err = p.stderr.decode(errors="replace")[-2000:] if isinstance(p.stderr, bytes) else ""
        raise Broken("%s exited %d%s" % (shlex.join(cmd), p.returncode, "\n" + err if err else ""))
    return p


def du_bytes(path):
    """Apparent size of a file or directory tree."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


# ---- the corpus ---------------------------------------------------------

def fetch_packages(work, packages):
    """Downloads (apt-get download) and unpacks (dpkg-deb -x) each package
    once; returns the unpacked directories in order."""
    debs = os.path.join(work, "debs")
    os.makedirs(debs, exist_ok=True)
    out = []
    for pkg in packages:
        dest = os.path.join(work, "src", pkg)
        stamp = dest + ".done"
        if not os.path.exists(stamp):
            have = [f for f in os.listdir(debs) if f.startswith(pkg + "_") and f.endswith(".deb")]
            if not have:
                log("downloading " + pkg)
                p = subprocess.run(["apt-get", "download", "-q", pkg], cwd=debs,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                if p.returncode != 0:
                    # The package lists may be missing on a fresh machine.
                    run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL)
                    run(["apt-get", "download", "-q", pkg], cwd=debs,
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                have = [f for f in os.listdir(debs)
                        if f.startswith(pkg + "_") and f.endswith(".deb")]
            shutil.rmtree(dest, ignore_errors=True)
            os.makedirs(dest)
            run(["dpkg-deb", "-x", os.path.join(debs, sorted(have)[-1]), dest])
            open(stamp, "w").close()
        out.append(dest)
    return out


def build_corpus(a, size, srcs):
    # The name changes with the corpus maker and the packages read, so a
    # stale corpus is never reused.
    h = hashlib.sha256(open(os.path.join(a.here, "corpus.py"), "rb").read())
    h.update(" ".join(srcs).encode())
    base = os.path.join(a.work, "corpus-%d-%d-%s" % (size, a.seed, h.hexdigest()[:10]))
    corpus, queries = base + ".jsonl", base + ".queries"
    meta = corpus + ".meta.json"
    if not (os.path.exists(corpus) and os.path.exists(queries) and os.path.exists(meta)):
        log("building the %d-document corpus" % size)
        cmd = [sys.executable, os.path.join(a.here, "corpus.py"), "--root", a.root,
               "--docs", str(size), "--out", corpus, "--queries", queries,
               "--n-queries", str(a.queries), "--seed", str(a.seed)]
        for s in srcs:
            cmd += ["--src", s]
        run(cmd)
    with open(meta) as f:
        m = json.load(f)
    m["jsonl_bytes"] = os.path.getsize(corpus)
    return corpus, queries, m


# ---- indexing -------------------------------------------------------------

def timed(cmd, log_path):
    """Runs cmd under /usr/bin/time -v: (wall seconds, CPU seconds, peak
    RSS in KiB)."""
    tfile = log_path + ".time"
    with open(log_path, "wb") as out:
        t0 = time.monotonic()
        run(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=out, stderr=subprocess.STDOUT)
        wall = time.monotonic() - t0
    peak, cpu = 0, 0.0
    with open(tfile) as f:
        for line in f:
            if "Maximum resident set size" in line:
                peak = int(line.rsplit(":", 1)[1])
            elif "User time (seconds)" in line or "System time (seconds)" in line:
                cpu += float(line.rsplit(":", 1)[1])
    return wall, cpu, peak


def index_all(a, tag, corpus, meta):
    res = {}
    d = os.path.join(a.work, "run")
    os.makedirs(d, exist_ok=True)
    paths = {"oasis": os.path.join(d, tag + "-oasis.db"), "xapian": os.path.join(d, tag + "-xapian.db"),
             "fts5": os.path.join(d, tag + "-fts5.sqlite")}
    cmds = {
        "oasis": [a.oasis_index, "--index", paths["oasis"], corpus],
        "xapian": [os.path.join(a.bin, "xapian_bench"), "index", paths["xapian"], corpus],
        "fts5": [os.path.join(a.bin, "fts5_bench"), "index", paths["fts5"], corpus],
    }
    for c in CONTENDERS:
        p = paths[c]
        shutil.rmtree(p, ignore_errors=True)
        if os.path.isfile(p):
            os.remove(p)
        log("%s: indexing with %s" % (tag, c))
        wall, cpu, peak = timed(cmds[c], os.path.join(d, "%s-%s-index.log" % (tag, c)))
        size = du_bytes(p)
        res[c] = {"seconds": wall, "cpu_seconds": cpu, "peak_kib": peak, "index_bytes": size,
                  "docs_per_s": meta["docs"] / wall, "mb_per_s": meta["text_bytes"] / 1e6 / wall,
                  "index_over_text": size / meta["text_bytes"], "path": p}
    # What compaction would give oasis (xapian-compact, from xapian-tools).
    if shutil.which("xapian-compact"):
        out = paths["oasis"] + ".compact"
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.monotonic()
        run(["xapian-compact", "--no-renumber", paths["oasis"], out], stdout=subprocess.DEVNULL)
        res["oasis"]["compact_seconds"] = time.monotonic() - t0
        res["oasis"]["compact_bytes"] = du_bytes(out)
        res["oasis"]["compact_over_text"] = du_bytes(out) / meta["text_bytes"]
        shutil.rmtree(out, ignore_errors=True)
    return res


def index_scaling(a, tag, corpus, meta, queries):
    """oasis-index with 1, 2 and 4 writers (--jobs) into one database, and
    into 1, 2 and 4 shards (--shards, every core): wall seconds and
    documents/s of each; then the query latency (in process, facets on)
    of each sharded index, opened locally and through one xapian-tcpsrv per
    shard on loopback (scripts/serve-shards)."""
    d = os.path.join(a.work, "run")
    out = {"index": {}, "queries": {}}
    runs = [("jobs", n, ["--jobs", str(n)]) for n in (1, 2, 4)]
    runs += [("shards", n, ["--shards", str(n)]) for n in (1, 2, 4)]
    for kind, n, opts in runs:
        p = os.path.join(d, "%s-oasis-%s%d.db" % (tag, kind, n))
        shutil.rmtree(p, ignore_errors=True)
        log("%s: indexing with oasis --%s %d" % (tag, kind, n))
        wall, cpu, peak = timed([a.oasis_index, "--index", p] + opts + [corpus],
                                os.path.join(d, "%s-oasis-%s%d-index.log" % (tag, kind, n)))
        out["index"]["%s %d" % (kind, n)] = {"seconds": wall, "cpu_seconds": cpu,
                                             "peak_kib": peak, "docs_per_s": meta["docs"] / wall}
        if kind == "jobs":
            shutil.rmtree(p, ignore_errors=True)
            continue
        bench = [os.path.join(a.bin, "oasis_bench")]
        tail = [queries, "--facets", "--passes", str(a.passes)]
        log("%s: queries on %d shards, local" % (tag, n))
        r = run(bench + [p] + tail, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out["queries"]["%d local" % n] = json.loads(r.stdout)
        log("%s: queries on %d shards, xapian-tcpsrv on loopback" % (tag, n))
        out["queries"]["%d remote" % n] = remote_queries(a, p, bench, tail)
        shutil.rmtree(p, ignore_errors=True)
    return out


def remote_queries(a, db, bench, tail):
    """oasis_bench on db served by scripts/serve-shards (stopped after)."""
    stub = db + ".remote"
    if os.path.exists(stub):
        os.remove(stub)
    srv = subprocess.Popen([os.path.join(a.root, "scripts", "serve-shards"), db],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if os.path.exists(stub) or srv.poll() is not None:
                break
            time.sleep(0.1)
        if not os.path.exists(stub):
            raise Broken("scripts/serve-shards %s wrote no %s" % (db, stub))
        r = run(bench + [stub] + tail, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return json.loads(r.stdout)
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=30)
        except subprocess.TimeoutExpired:
            srv.kill()
            srv.wait()


# ---- queries ----------------------------------------------------------------

def percentile(sorted_ms, p):
    """The value below which a fraction p of the sorted samples lie
    (nearest rank, as benchutil.h computes it)."""
    if not sorted_ms:
        return 0.0
    k = min(len(sorted_ms), max(1, int(p * len(sorted_ms) + 0.999999)))
    return sorted_ms[k - 1]


def alternating(a, runs, work):
    """Runs each (key, command, allowed exit codes) of runs in turn, a.rounds
    times over, one timed pass each time: each query keeps its fastest time
    over every round, so that a slow spell of the machine does not fall on
    one contender only. A command that exits 3 (an option
    this library lacks) is left out. Returns {key: summary}, the summary in
    the drivers' own form."""
    best, last = {}, {}
    times = os.path.join(work, "times.txt")
    for _ in range(a.rounds):
        for key, cmd, ok in runs:
            if key in last and last[key] is None:
                continue
            p = run(cmd + ["--passes", "1", "--times", times],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, ok=ok)
            if p.returncode != 0:
                last[key] = None
                continue
            last[key] = json.loads(p.stdout)
            with open(times) as f:
                ms = [float(line) for line in f]
            best[key] = ms if key not in best else [min(x, y) for x, y in zip(best[key], ms)]
    out = {}
    for key, summary in last.items():
        if summary is None:
            continue
        ms = sorted(best[key])
        summary.update(mean_ms=sum(ms) / len(ms) if ms else 0.0, p50_ms=percentile(ms, 0.50),
                       p99_ms=percentile(ms, 0.99), max_ms=ms[-1] if ms else 0.0)
        out[key] = summary
    return out


def in_process(a, idx, queries, work):
    cmds = {
        "oasis": [os.path.join(a.bin, "oasis_bench"), idx["oasis"]["path"], queries],
        "xapian": [os.path.join(a.bin, "xapian_bench"), "query", idx["xapian"]["path"], queries],
        "fts5": [os.path.join(a.bin, "fts5_bench"), "query", idx["fts5"]["path"], queries],
    }
    # The measures compared side by side run next to each other: each
    # variant of oasis beside the Xapian run it is set against. oasis
    # without what the top 10 does not need, and with what oasis-query
    # adds (proximity, exact totals, snippets, suggestions), when the
    # library has such options (the driver exits 3 when it has not); plain
    # Xapian asked for exact match counts, as oasis-query gives them.
    runs = [
        (("oasis", "top10"), cmds["oasis"], (0,)),
        (("xapian", "top10"), cmds["xapian"], (0,)),
        (("oasis", "bare"), cmds["oasis"] + ["--bare"], (0, 3)),
        (("fts5", "top10"), cmds["fts5"], (0,)),
        (("oasis", "facets"), cmds["oasis"] + ["--facets"], (0,)),
        (("xapian", "facets"), cmds["xapian"] + ["--facets"], (0,)),
        (("oasis", "bare_facets"), cmds["oasis"] + ["--bare", "--facets"], (0, 3)),
        (("fts5", "facets"), cmds["fts5"] + ["--facets"], (0,)),
        (("oasis", "full"), cmds["oasis"] + ["--full"], (0, 3)),
        (("xapian", "exact"), cmds["xapian"] + ["--exact"], (0,)),
    ]
    out = {}
    for (c, variant), summary in alternating(a, runs, work).items():
        out.setdefault(c, {})[variant] = summary
    return out


def fts5_sql(q):
    expr = " OR ".join('"%s"' % w.replace('"', '""') for w in q.split())
    return ("SELECT rowid, id, title FROM docs WHERE docs MATCH '%s' ORDER BY rank LIMIT 10"
            % expr.replace("'", "''"))


def latencies(a, cmds):
    """Whole-process latency of each command (output discarded), measured
    by spawn_time: the first five run once untimed, then each in every
    timed pass, keeping its fastest time."""
    path = os.path.join(a.work, "run", "commands.bin")
    with open(path, "wb") as f:
        for cmd in cmds:
            f.write(b"".join(x.encode() + b"\0" for x in cmd) + b"\0")
    p = run([os.path.join(a.bin, "spawn_time"), path, "--passes", str(a.passes)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    r = json.loads(p.stdout)
    r["runs"] = r.pop("queries")
    return r


def one_shot(a, idx, queries):
    with open(queries, encoding="utf-8") as f:
        qs = [q for q in f.read().split("\n") if q.strip()][:a.oneshot]
    oq = [a.oasis_query, "--index", idx["oasis"]["path"], "--limit", "10", "--color", "never"]
    cmds = {
        "oasis": [oq + ["--no-facets"] + q.split() for q in qs],
        "xapian": [["quest", "-d", idx["xapian"]["path"], "-m", "10", "-s", "french", q] for q in qs],
        "fts5": [["sqlite3", idx["fts5"]["path"], fts5_sql(q)] for q in qs],
    }
    out = {c: latencies(a, cmds[c]) for c in CONTENDERS}
    out["oasis_facets"] = latencies(a, [oq + q.split() for q in qs])
    return out


def initiatives(a):
    """oasis-query as a whole process on the initiatives corpus (corpus/),
    with its default output: facets and text."""
    db = os.path.join(a.work, "run", "initiatives.db")
    shutil.rmtree(db, ignore_errors=True)
    run([a.oasis_index, "--quiet", "--index", db, os.path.join(a.root, "corpus")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(os.path.join(a.here, "initiatives-queries.txt"), encoding="utf-8") as f:
        qs = [q for q in f.read().split("\n") if q.strip() and not q.startswith("#")]
    runs = []
    while len(runs) < a.oneshot:
        runs += qs
    cmds = [[a.oasis_query, "--index", db, "--color", "never"] + q.split() for q in runs[:a.oneshot]]
    return {"oasis": latencies(a, cmds), "floor": latencies(a, [["true"]] * a.oneshot)}


# ---- report -------------------------------------------------------------------

def fmt(v, unit=""):
    if v is None:
        return "–"
    if v >= 100:
        s = "%.0f" % v
    elif v >= 10:
        s = "%.1f" % v
    elif v >= 1:
        s = "%.2f" % v
    else:
        s = "%.3f" % v
    return s + unit


def ratio(x, y):
    return None if not x or not y else x / y


def rows_for(tag, r):
    """(label, oasis, xapian, fts5, better) rows of one corpus size; better:
    'high' or 'low', for reading the ratios."""
    ix, q, cli = r["index"], r["queries"], r["oneshot"]
    rows = [
        ("indexing time (s)", *(ix[c]["seconds"] for c in CONTENDERS), "low"),
        ("indexing CPU time, user + system (s)", *(ix[c]["cpu_seconds"] for c in CONTENDERS), "low"),
        ("indexing MB/s (corpus text)", *(ix[c]["mb_per_s"] for c in CONTENDERS), "high"),
        ("indexing documents/s", *(ix[c]["docs_per_s"] for c in CONTENDERS), "high"),
        ("peak memory while indexing (MiB)", *(ix[c]["peak_kib"] / 1024 for c in CONTENDERS), "low"),
        ("index size (MB)", *(ix[c]["index_bytes"] / 1e6 for c in CONTENDERS), "low"),
        ("index size / corpus text", *(ix[c]["index_over_text"] for c in CONTENDERS), "low"),
    ]
    if "compact_over_text" in ix["oasis"]:
        rows.append(("index size / corpus text, after xapian-compact", ix["oasis"]["compact_over_text"],
                     None, None, "low"))
    for variant, label in (("top10", "top 10"), ("facets", "top 10 + exact facets")):
        for stat in ("mean", "p50", "p99"):
            rows.append(("query %s, in process, %s (ms)" % (label, stat),
                         *(q[c][variant][stat + "_ms"] for c in CONTENDERS), "low"))
    for stat in ("p50", "p99"):
        rows.append(("facets cost: facets − top 10, %s (ms)" % stat,
                     *(q[c]["facets"][stat + "_ms"] - q[c]["top10"][stat + "_ms"] for c in CONTENDERS),
                     "low"))
    for stat in ("p50", "p99"):
        rows.append(("Xapian top 10 with exact counts, %s (ms)" % stat, None,
                     q["xapian"]["exact"][stat + "_ms"], None, "low"))
    for variant, label in (("bare", "top 10"), ("bare_facets", "top 10 + facets")):
        if variant in q["oasis"]:
            for stat in ("p50", "p99"):
                rows.append(("oasis %s without snippets, suggestions, synonyms, place boosts, %s (ms)"
                             % (label, stat), q["oasis"][variant][stat + "_ms"],
                             q["xapian"]["facets" if "facets" in variant else "top10"][stat + "_ms"],
                             q["fts5"]["facets" if "facets" in variant else "top10"][stat + "_ms"],
                             "low"))
    if "full" in q["oasis"]:
        for stat in ("p50", "p99"):
            rows.append(("oasis top 10 with proximity, exact totals, snippets, suggestions (oasis-query's settings), %s (ms)"
                         % stat, q["oasis"]["full"][stat + "_ms"], q["xapian"]["exact"][stat + "_ms"],
                         q["fts5"]["top10"][stat + "_ms"], "low"))
    for stat in ("mean", "p50", "p99"):
        rows.append(("one-shot CLI, top 10, %s (ms)" % stat, *(cli[c][stat + "_ms"] for c in CONTENDERS), "low"))
    rows.append(("one-shot oasis-query with facets, p50 (ms)", cli["oasis_facets"]["p50_ms"], None, None, "low"))
    rows.append(("one-shot oasis-query with facets, p99 (ms)", cli["oasis_facets"]["p99_ms"], None, None, "low"))
    return rows


def table(results, machine):
    lines = []
    for tag, r in results["sizes"].items():
        m = r["corpus"]
        lines.append("### %s documents (%.1f MB of text: %d distinct, %d recombined; %d queries)"
                     % (format(m["docs"], ","), m["text_bytes"] / 1e6, m["distinct"], m["recombined"],
                        r["n_queries"]))
        lines.append("")
        lines.append("| measure | oasis | Xapian (plain) | SQLite FTS5 | oasis ÷ Xapian | oasis ÷ FTS5 | Xapian ÷ FTS5 |")
        lines.append("|---|--:|--:|--:|--:|--:|--:|")
        for label, o, x, f, _ in rows_for(tag, r):
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                label, fmt(o), fmt(x), fmt(f), fmt(ratio(o, x), "×"), fmt(ratio(o, f), "×"),
                fmt(ratio(x, f), "×")))
        lines.append("")
        sc = r.get("scaling")
        if sc:
            xd = r["index"]["xapian"]["docs_per_s"]
            lines.append("Indexing with every core, and shards:")
            lines.append("")
            lines.append("| oasis-index | time (s) | CPU (s) | documents/s | ÷ plain Xapian |")
            lines.append("|---|--:|--:|--:|--:|")
            for k, v in sc["index"].items():
                lines.append("| --%s | %s | %s | %s | %s |" % (
                    k, fmt(v["seconds"]), fmt(v["cpu_seconds"]), fmt(v["docs_per_s"]),
                    fmt(ratio(v["docs_per_s"], xd), "×")))
            lines.append("")
            lines.append("Queries (in process, facets) on shards, local and through xapian-tcpsrv "
                         "on loopback:")
            lines.append("")
            lines.append("| shards | mean (ms) | p50 (ms) | p99 (ms) |")
            lines.append("|---|--:|--:|--:|")
            for k, v in sc["queries"].items():
                lines.append("| %s | %s | %s | %s |" % (k, fmt(v["mean_ms"]), fmt(v["p50_ms"]),
                                                       fmt(v["p99_ms"])))
            lines.append("")
    ini = results.get("initiatives")
    if ini:
        lines.append("### oasis-query on the initiatives corpus (corpus/), whole process, facets and text")
        lines.append("")
        lines.append("| measure | mean | p50 | p99 |")
        lines.append("|---|--:|--:|--:|")
        lines.append("| oasis-query (ms) | %s | %s | %s |" % tuple(
            fmt(ini["oasis"][k]) for k in ("mean_ms", "p50_ms", "p99_ms")))
        lines.append("| process start floor, `true` (ms) | %s | %s | %s |" % tuple(
            fmt(ini["floor"][k]) for k in ("mean_ms", "p50_ms", "p99_ms")))
        lines.append("")
    lines.append("### Targets")
    lines.append("")
    lines.append("| target | measured | result |")
    lines.append("|---|---|---|")
    for t in results["targets"]:
        lines.append("| %s | %s | %s |" % (t["target"], t["measured"], t["result"]))
    lines.append("")
    lines.append("Machine: %s. Only ratios measured in the same run are comparable: absolute "
                 "times depend on the machine and on what else it was doing." % machine)
    return "\n".join(lines) + "\n"


def targets(a, results):
    out = []
    sizes = results["sizes"]

    def add(target, measured, ok, note=""):
        res = "not measured" if ok is None else ("PASS" if ok else "FAIL")
        out.append({"target": target, "measured": measured + note, "result": res})

    # The 20k corpus when it was run, else the largest one (indicative).
    def pick(want):
        if want in sizes:
            return want, ""
        if not sizes:
            return None, ""
        k = max(sizes, key=lambda t: sizes[t]["corpus"]["docs"])
        return k, " (on %s documents, not %s: indicative)" % (format(sizes[k]["corpus"]["docs"], ","),
                                                             format(int(want), ","))

    k, note = pick("20000")
    if k:
        ix = sizes[k]["index"]
        r = ix["oasis"]["docs_per_s"] / ix["xapian"]["docs_per_s"]
        add("indexing ≥ 1.5× plain Xapian throughput (20k)", "%.2f×" % r, r >= 1.5, note)
        sc = sizes[k].get("scaling", {}).get("index", {})
        if sc:
            best = max(sc, key=lambda x: sc[x]["docs_per_s"])
            r = sc[best]["docs_per_s"] / ix["xapian"]["docs_per_s"]
            each = ", ".join("%s %.2f×" % (x, sc[x]["docs_per_s"] / ix["xapian"]["docs_per_s"])
                             for x in sc)
            add("indexing ≥ 3× plain Xapian throughput with every core (20k)",
                "%.2f× (%s; %s)" % (r, best, each), r >= 3, note)
    big, note = pick("200000")
    if big:
        peak = sizes[big]["index"]["oasis"]["peak_kib"] / 1024
        setting = results.get("memory_setting")
        ok = peak < 300 and bool(setting)
        add("oasis-index peak memory < 300 MiB on 200k, bounded by a setting",
            "%.0f MiB; setting: %s" % (peak, setting or "none in oasis-index --help"),
            ok if big == "200000" else None, note)
    if sizes:
        # Every size must pass: the large corpus, recombined from the small
        # one's paragraphs, has a smaller vocabulary per document.
        per = [(sizes[t]["corpus"]["docs"], sizes[t]["index"]["oasis"]["index_over_text"])
               for t in sizes]
        add("index ≤ 3× corpus text (every size)",
            ", ".join("%s docs %.2f×" % (format(n, ","), x) for n, x in sorted(per)),
            all(x <= 3.0 for _, x in per))
    k, note = pick("20000")
    if k:
        q = sizes[k]["queries"]
        o, x, f = q["oasis"]["top10"], q["xapian"]["top10"], q["fts5"]["top10"]
        r50, r99 = o["p50_ms"] / x["p50_ms"], o["p99_ms"] / x["p99_ms"]
        add("query top 10 ≤ 1.3× plain Xapian (p50 and p99)", "p50 %.2f×, p99 %.2f×" % (r50, r99),
            r50 <= 1.3 and r99 <= 1.3, note)
        f50, f99 = o["p50_ms"] / f["p50_ms"], o["p99_ms"] / f["p99_ms"]
        add("query top 10 faster than FTS5 (p50 and p99)", "p50 %.2f×, p99 %.2f×" % (f50, f99),
            f50 < 1 and f99 < 1, note)
        fc = q["oasis"]["facets"]
        add("top 10 + exact facets p99 < 10 ms (20k)",
            "%.2f ms (facets cost %.2f ms at p50)" % (fc["p99_ms"], fc["p50_ms"] - o["p50_ms"]),
            fc["p99_ms"] < 10, note)
    ini = results.get("initiatives")
    if ini:
        p99 = ini["oasis"]["p99_ms"]
        add("oasis-query on the initiatives corpus < 10 ms as a whole process (p99)",
            "p50 %.2f ms, p99 %.2f ms" % (ini["oasis"]["p50_ms"], p99), p99 < 10)
    return out


def machine_line():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "%s, %d cores, %.0f GiB, %s" % (cpu, os.cpu_count() or 0, mem, time.strftime("%Y-%m-%d"))


def memory_setting(oasis_index):
    """The oasis-index option that bounds its memory, as its --help names
    it (a line mentioning memory or MiB), or None."""
    p = subprocess.run([oasis_index, "--help"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    for line in p.stdout.decode(errors="replace").splitlines():
        s = line.strip()
        if s.startswith("-") and any(w in s.lower() for w in ("memory", "mib", "mémoire")):
            return s.split()[0].rstrip(",")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sizes", default="20000,200000")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--oneshot", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20250601)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    a.here = os.path.dirname(os.path.abspath(__file__))
    a.oasis_index = os.path.join(a.build, "oasis-index")
    a.oasis_query = os.path.join(a.build, "oasis-query")
    a.out = a.out or os.path.join(a.work, "results.md")
    os.makedirs(a.work, exist_ok=True)

    results = {"sizes": {}, "machine": machine_line()}
    try:
        srcs = fetch_packages(a.work, QUICK_PACKAGES if a.quick else PACKAGES)
        for size in [int(s) for s in a.sizes.split(",") if s]:
            tag = str(size)
            corpus, queries, meta = build_corpus(a, size, srcs)
            r = {"corpus": meta}
            with open(queries, encoding="utf-8") as f:
                r["n_queries"] = sum(1 for q in f if q.strip())
            r["index"] = index_all(a, tag, corpus, meta)
            r["scaling"] = index_scaling(a, tag, corpus, meta, queries)
            log("%s: queries in process" % tag)
            r["queries"] = in_process(a, r["index"], queries, a.work)
            log("%s: one-shot command lines" % tag)
            r["oneshot"] = one_shot(a, r["index"], queries)
            results["sizes"][tag] = r
        log("initiatives corpus: one-shot oasis-query")
        results["initiatives"] = initiatives(a)
        results["memory_setting"] = memory_setting(a.oasis_index)
    except Broken as e:
        log("broken run: %s" % e)
        return 1
    results["targets"] = targets(a, results)
    md = table(results, results["machine"])
    sys.stdout.write(md)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(md)
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    for t in results["targets"]:
        print("%-4s %s: %s" % (t["result"], t["target"], t["measured"]))
    log("table written to %s, raw figures to %s" % (a.out, os.path.join(a.work, "results.json")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
