#!/usr/bin/env python3
"""bench.py - vigie's benchmark (make bench): scan speed, latency, Postfix, memory.

SYNOPSIS
    make bench                      (builds build/, build/bench/latency and
                                     build/bench/nullmilter, then runs this)
    BENCH_SECTIONS="scan latency" python3 bench/bench.py

DESCRIPTION
    Six sections, each figure a median over interleaved runs, each ratio
    taken within one run (the machines are shared and noisy):

    scan     build/vigie-scan -j 1 over the ham and phishing corpora with the
             shipped config and with an empty rule set (rules = ( );: the
             floor, reading + decoding + normalising). Start-up (loading and
             compiling the rules) is measured alone on an empty directory and
             subtracted; messages/s and MB/s from wall time, and from CPU time
             (user+sys of the child: what one core does, less disturbed by
             other load). Ratio full / empty per round.
    latency  build/bench/latency (bench/latency.c): per-message engine time,
             in process, files in memory: p50 / p99 / max over the ham and
             phishing sets (full and empty rules); the ordinary message,
             warm and with the caches flushed before each judgement (as
             they are in the milter); synthetic French messages
             of growing size (bench/gen.py); the ham set with the shipped
             pack, x10 and x100 pattern rules (confs judged in turn, message
             by message).
    attach   (issue 12) per-message engine time of an invoice with a 3-page
             PDF (~70 KiB) and of a message with one inline QR-code image,
             each against the same message without the attachment (CPU
             median, ratio per round); the ham set's scan rate per core
             (vigie-scan -j 1, CPU time, start-up subtracted) against the
             target of 4,000 msg/s, and against the same with attachments
             not opened (max_attach_bytes = 0): ratio ~1 when messages
             without attachments do not pay for the decoders. All with
             authentication = "trusted" (no DNS: the content alone).
    dns      (issue 14) vigie verifying SPF, DKIM and DMARC itself
             (authentication = "builtin") against bench/dns.sh's private
             nsd: the ordinary message, unsigned and DKIM-signed, answers
             cached, against authentication = "trusted" (no DNS): extra ms
             per message, target <= 0.1 ms; cold cache behind a resolver answering 50 ms
             late (tests/auth/dns_stub.py delay), each message from its own
             domain: latency p50 / p99; then vigie-milter with the same
             resolver and bench/concurrency.py: N sessions judged at once
             against one alone (ratio ~1: sessions do not wait on each
             other).
    postfix  bench/postfix.sh: a private Postfix, one smtpd per leg (no milter,
             do-nothing milter, the same negotiating as vigie, vigie, vigie
             verifying SPF/DKIM/DMARC itself with answers cached), fed by
             smtp-source, delivering to discard:; msg/s per leg, ratios per
             round, milter CPU per message.
    memory   vigie-milter with the shipped rules and bench/memory.py: SESSIONS
             raw milter sessions each holding a ~50 KB message, then all
             judged at once; VmHWM.

    Writes bench/results/bench-DATE.txt and .json (git-ignored) and prints
    the table.

ENVIRONMENT
    BENCH_SECTIONS      "scan latency attach dns postfix memory"
    BENCH_ROUNDS        5       scan rounds (and Postfix rounds by default)
    BENCH_SIZES         "10000 100000 1000000 4000000 10000000" (bytes)
    BENCH_SIZE_REPEAT   5       judgements per size (median)
    BENCH_RULE_FACTORS  "1 10 100"
    BENCH_LAT_REPEAT    1       judgements per corpus message (median)
    BENCH_PF_ROUNDS, BENCH_PF_MSGS (2000), BENCH_PF_SESSIONS (10),
    BENCH_PF_LEGS, BENCH_PF_REUSE (0)   see bench/postfix.sh
                        (the vigieauth leg needs bench/dns.sh: nsd, openssl
                        and python3-dkim; left out without them)
    BENCH_ATTACH_REPEAT 21      judgements per message per round (attach)
    BENCH_DNS_REPEAT    201     judgements of the cached message (dns)
    BENCH_DNS_DELAY_MS  50;  BENCH_DNS_COLD 60 (cold messages);
    BENCH_DNS_SESSIONS  10      concurrent milter sessions
    BENCH_MEM_SESSIONS  200;  BENCH_MEM_SIZE 50000
    BENCH_HAM, BENCH_PHISH  corpus directories
                        (default ../shared/corpus/{spamassassin_easy_ham,phishing_pot})
    BENCH_KEEP=1        keep the generated inputs (temp dir)
"""
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import gen  # noqa: E402

BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
SCAN = os.path.join(BUILD, "vigie-scan")
MILTER = os.path.join(BUILD, "vigie-milter")
LATENCY = os.path.join(BUILD, "bench", "latency")
NULLMILTER = os.path.join(BUILD, "bench", "nullmilter")
CONCURRENCY = os.path.join(HERE, "concurrency.py")


def env(name, default):
    return os.environ.get(name, default)


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def median(v):
    return statistics.median(v) if v else float("nan")


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = f.readline().split()[1]
    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip()
    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "host": platform.node(),
            "nproc": os.cpu_count(), "cpu": model, "mem_gib": round(int(mem) / 2 ** 20, 1),
            "kernel": platform.release(), "git": rev or "?", "load_start": loadavg()}


def run_timed(argv, stdout=subprocess.DEVNULL):
    """(wall seconds, CPU seconds user+sys, exit status) of one child."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if p.returncode not in (0, 1):  # vigie-scan: 1 = some message failed --expect
        raise SystemExit("bench: %s failed (%d): %s" % (" ".join(argv), p.returncode, err[-500:]))
    return wall, ru.ru_utime + ru.ru_stime


# ---------------------------------------------------------------- scan
def corpus_size(conf, path):
    """(messages, bytes) of a corpus directory; checks vigie-scan judges one per file.

    (vigie-scan's output cannot name the files: it redacts digit runs in
    paths, so the directory's regular files are counted and summed.) The
    untimed run also warms the page cache."""
    out = subprocess.run([SCAN, "-j", "1", "-c", conf, path], capture_output=True,
                         text=True).stdout
    files = [os.path.join(path, f) for f in os.listdir(path)]
    files = [f for f in files if os.path.isfile(f) and not os.path.basename(f).startswith(".")]
    n, size = len(files), sum(os.path.getsize(f) for f in files)
    if len(out.splitlines()) != n:
        log("warning: vigie-scan printed %d lines for %d files in %s" % (
            len(out.splitlines()), n, path))
    return n, size


def section_scan(g, sets, rounds):
    empty_dir = os.path.join(g["dir"], "emptydir")
    os.makedirs(empty_dir, exist_ok=True)
    confs = {"full": g["full_conf"], "empty": g["empty_conf"]}
    sizes = {s: corpus_size(g["full_conf"], p) for s, p in sets.items()}
    jobs = [(c, s) for c in confs for s in list(sets) + ["startup"]]
    raw = {j: [] for j in jobs}
    for r in range(rounds):
        log("scan round %d/%d (load %s)" % (r + 1, rounds, loadavg()))
        k = r % len(jobs)
        for c, s in jobs[k:] + jobs[:k]:
            path = empty_dir if s == "startup" else sets[s]
            raw[(c, s)].append(run_timed([SCAN, "-j", "1", "-c", confs[c], path]))
    res = {"rounds": rounds, "sets": {}}
    for c in confs:
        res["startup_" + c] = {"wall_s": median([w for w, _ in raw[(c, "startup")]]),
                               "cpu_s": median([u for _, u in raw[(c, "startup")]])}
    for s in sets:
        n, size = sizes[s]
        d = {"path": sets[s], "messages": n, "bytes": size}
        per = {}
        for c in confs:
            st = res["startup_" + c]
            walls = [w - st["wall_s"] for w, _ in raw[(c, s)]]
            cpus = [u - st["cpu_s"] for _, u in raw[(c, s)]]
            per[c] = {"msgs_s": [n / w for w in walls], "cpu_msgs_s": [n / u for u in cpus],
                      "gross_msgs_s": [n / w for w, _ in raw[(c, s)]]}
            d[c] = {"msgs_s": median(per[c]["msgs_s"]),
                    "mb_s": median(per[c]["msgs_s"]) * size / n / 1e6,
                    "cpu_msgs_s": median(per[c]["cpu_msgs_s"]),
                    "cpu_mb_s": median(per[c]["cpu_msgs_s"]) * size / n / 1e6,
                    "gross_msgs_s": median(per[c]["gross_msgs_s"]),
                    "wall_s": [round(w, 4) for w, _ in raw[(c, s)]],
                    "cpu_s": [round(u, 4) for _, u in raw[(c, s)]]}
        d["ratio"] = median([f / e for f, e in zip(per["full"]["msgs_s"], per["empty"]["msgs_s"])])
        d["cpu_ratio"] = median([f / e for f, e in zip(per["full"]["cpu_msgs_s"],
                                                        per["empty"]["cpu_msgs_s"])])
        res["sets"][s] = d
    return res


# ---------------------------------------------------------------- latency
def latency(confs, paths, repeat=1, warmup=1, per_file=False, thrash_kib=0, spf=False):
    argv = [LATENCY, "-r", str(repeat), "-w", str(warmup), "-t", str(thrash_kib)]
    if spf:
        argv.append("-H")
    for c in confs:
        argv += ["-c", c]
    if per_file:
        argv.append("-p")
    p = subprocess.run(argv + list(paths), capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit("bench: %s: %s" % (" ".join(argv), p.stderr[-500:]))
    return json.loads(p.stdout)


def section_latency(g, sets, sizes, factors):
    res = {"corpora": {}, "sizes": [], "rules": []}
    rep = int(env("BENCH_LAT_REPEAT", "1"))
    for s, path in sets.items():
        log("latency: %s, full and empty rules (load %s)" % (s, loadavg()))
        out = latency([g["full_conf"], g["empty_conf"]], [path], repeat=rep)
        res["corpora"][s] = {"messages": out["messages"], "bytes": out["bytes"],
                             "full": out["confs"][0], "empty": out["confs"][1]}
    out = latency([g["full_conf"], g["empty_conf"]], [g["typical"]], repeat=200)
    res["typical"] = {"bytes": out["bytes"], "full": out["confs"][0]["cpu_us"]["p50"],
                      "empty": out["confs"][1]["cpu_us"]["p50"]}
    # the same with the caches flushed before each judgement, as in the milter
    out = latency([g["full_conf"], g["empty_conf"]], [g["typical"]], repeat=200,
                  thrash_kib=16384)
    res["typical"].update({"full_cold": out["confs"][0]["cpu_us"]["p50"],
                           "empty_cold": out["confs"][1]["cpu_us"]["p50"]})
    log("latency: sizes %s (load %s)" % (" ".join(str(x) for x in sizes), loadavg()))
    out = latency([g["full_conf"], g["empty_conf"]], [g["sizes"][x] for x in sizes],
                  repeat=int(env("BENCH_SIZE_REPEAT", "5")), per_file=True)
    for i, x in enumerate(sizes):
        f, e = out["confs"][0]["per_file"][i], out["confs"][1]["per_file"][i]
        res["sizes"].append({"size": x, "bytes": f["bytes"], "full_wall_us": f["wall_us"],
                             "full_cpu_us": f["cpu_us"], "empty_wall_us": e["wall_us"],
                             "empty_cpu_us": e["cpu_us"]})
    log("latency: rule packs x%s on the ham set (load %s; x100 takes a while to compile)" % (
        " x".join(str(x) for x in factors), loadavg()))
    out = latency([g["packs"][x]["conf"] for x in factors], [sets["ham"]], repeat=rep)
    base = out["confs"][0]
    for x, c in zip(factors, out["confs"]):
        res["rules"].append({"factor": x, "rules": c["rules"], "load_s": c["load_s"],
                             "wall_us": c["wall_us"], "cpu_us": c["cpu_us"],
                             "cost_vs_x1": c["cpu_us"]["mean"] / base["cpu_us"]["mean"]})
    log("latency: one inline image, OCR off and on (load %s)" % loadavg())
    res["ocr"] = latency_ocr(g)
    return res


# ---------------------------------------------------------------- attach
def attach_cost(g, name, rounds, repeat):
    """CPU and wall per message of NAME with / without its attachment."""
    w, wo = g[name + "_with"], g[name + "_without"]
    cpu = {"with": [], "without": []}
    wall = {"with": [], "without": []}
    ratios = []
    for _ in range(rounds):
        out = latency([g["trusted_conf"]], [w, wo], repeat=repeat, per_file=True)
        pf = {os.path.basename(f["file"]): f for f in out["confs"][0]["per_file"]}
        a, b = pf[os.path.basename(w)], pf[os.path.basename(wo)]
        cpu["with"].append(a["cpu_us"])
        cpu["without"].append(b["cpu_us"])
        wall["with"].append(a["wall_us"])
        wall["without"].append(b["wall_us"])
        ratios.append(a["cpu_us"] / b["cpu_us"])
    return {"bytes_with": os.path.getsize(w), "bytes_without": os.path.getsize(wo),
            "cpu_ms_with": median(cpu["with"]) / 1000, "cpu_ms_without": median(cpu["without"]) / 1000,
            "wall_ms_with": median(wall["with"]) / 1000,
            "wall_ms_without": median(wall["without"]) / 1000,
            "ratio": median(ratios), "ratios": [round(x, 2) for x in ratios]}


def ham_rate_attach(g, ham, rounds):
    """The ham set's rate per core, attachments opened or not (max_attach_bytes = 0)."""
    empty_dir = os.path.join(g["dir"], "emptydir")
    os.makedirs(empty_dir, exist_ok=True)
    confs = {"attach": g["trusted_conf"], "noattach": g["noattach_conf"]}
    n, size = corpus_size(g["trusted_conf"], ham)
    raw = {c: {"ham": [], "startup": []} for c in confs}
    for r in range(rounds):
        log("attach: ham scan round %d/%d (load %s)" % (r + 1, rounds, loadavg()))
        order = list(confs) if r % 2 == 0 else list(reversed(list(confs)))
        for c in order:
            raw[c]["startup"].append(run_timed([SCAN, "-j", "1", "-c", confs[c], empty_dir])[1])
            raw[c]["ham"].append(run_timed([SCAN, "-j", "1", "-c", confs[c], ham])[1])
    rate = {c: [n / (h - st) for h, st in zip(raw[c]["ham"], raw[c]["startup"])] for c in confs}
    return {"messages": n, "bytes": size, "rounds": rounds,
            "cpu_msgs_s": median(rate["attach"]), "cpu_msgs_s_noattach": median(rate["noattach"]),
            "ratio": median([a / b for a, b in zip(rate["attach"], rate["noattach"])]),
            "all_cpu_msgs_s": [round(x) for x in rate["attach"]],
            "all_cpu_msgs_s_noattach": [round(x) for x in rate["noattach"]]}


def section_attach(g, sets, rounds):
    rep = int(env("BENCH_ATTACH_REPEAT", "21"))
    log("attach: PDF and QR messages, %d rounds x %d judgements (load %s)" % (rounds, rep, loadavg()))
    return {"pdf": attach_cost(g, "pdf", rounds, rep), "qr": attach_cost(g, "qr", rounds, rep),
            "ham": ham_rate_attach(g, sets["ham"], rounds)}


# ---------------------------------------------------------------- dns
def dns_start(g):
    """bench/dns.sh: signed messages, nsd and the slow resolver; None when
    it cannot run (nsd, openssl or python3-dkim missing)."""
    cold = int(env("BENCH_DNS_COLD", "60")) + 2 * int(env("BENCH_DNS_SESSIONS", "10"))
    authdir = gen.auth_inputs(g["dir"], cold)
    log("dns: signing %d messages, starting nsd and a %s ms resolver" % (
        cold + 1, env("BENCH_DNS_DELAY_MS", "50")))
    p = subprocess.Popen(["bash", os.path.join(HERE, "dns.sh"), authdir,
                          env("BENCH_DNS_DELAY_MS", "50")], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("nsd="):
        p.wait()
        log("dns: bench/dns.sh did not start (exit %d): no DNS rows" % p.returncode)
        return None
    ports = {k: int(v) for k, v in (kv.split("=") for kv in line.split())}
    signed = os.path.join(authdir, "signed")
    cold_files = sorted(os.path.join(signed, f) for f in os.listdir(signed) if f.startswith("cold-"))
    return {"proc": p, "ports": ports, "confs": gen.auth_confs(g["dir"], ports),
            "typical": os.path.join(signed, "typical.eml"),
            "unsigned": os.path.join(authdir, "typical.eml"), "cold": cold_files}


def dns_stop(d):
    if d is not None:
        d["proc"].terminate()
        d["proc"].wait()


def dns_cached(g, d, rounds):
    """builtin (answers cached) against trusted, the ordinary message unsigned
    (SPF and DMARC look-ups: what DNS costs) and DKIM-signed (plus the
    signature's verification: hashing and RSA)."""
    rep = int(env("BENCH_DNS_REPEAT", "201"))
    files = [d["unsigned"], d["typical"]]
    extra = {f: [] for f in files}
    wall = {f: [] for f in files}
    cpu_t = {f: [] for f in files}
    for r in range(rounds):
        log("dns: cached answers, round %d/%d (load %s)" % (r + 1, rounds, loadavg()))
        out = latency([g["trusted_conf"], d["confs"]["nsd"]], files, repeat=rep,
                      spf=True, per_file=True)
        t, b = ({x["file"]: x for x in c["per_file"]} for c in out["confs"])
        for f in files:
            cpu_t[f].append(t[f]["cpu_us"])
            extra[f].append((b[f]["cpu_us"] - t[f]["cpu_us"]) / 1000)
            wall[f].append((b[f]["wall_us"] - t[f]["wall_us"]) / 1000)
    res = {}
    for key, f in (("unsigned", d["unsigned"]), ("signed", d["typical"])):
        res[key] = {"bytes": os.path.getsize(f), "cpu_ms_trusted": median(cpu_t[f]) / 1000,
                    "extra_cpu_ms": median(extra[f]), "extra_wall_ms": median(wall[f]),
                    "all_extra_cpu_ms": [round(x, 3) for x in extra[f]]}
    return res


def dns_cold(d, n):
    """Each message from its own domain, nothing cached, the slow resolver."""
    log("dns: cold cache, %d messages, each from its own domain (load %s)" % (n, loadavg()))
    out = latency([d["confs"]["slow"]], d["cold"][:n], repeat=1, warmup=0, spf=True)
    c = out["confs"][0]
    return {"messages": out["messages"], "delay_ms": int(env("BENCH_DNS_DELAY_MS", "50")),
            "wall_ms_p50": c["wall_us"]["p50"] / 1000, "wall_ms_p99": c["wall_us"]["p99"] / 1000,
            "wall_ms_max": c["wall_us"]["max"] / 1000, "cpu_ms_p50": c["cpu_us"]["p50"] / 1000}


def dns_concurrent(g, d, files, sessions):
    """vigie-milter, the slow resolver: SESSIONS judged at once vs one alone."""
    tmp = os.path.join(g["dir"], "conc")
    os.makedirs(tmp, exist_ok=True)
    sock = os.path.join(tmp, "vigie.sock")
    errlog = open(os.path.join(tmp, "milter.log"), "w")
    log("dns: %d milter sessions at once, cold cache (load %s)" % (sessions, loadavg()))
    m = subprocess.Popen([MILTER, "-f", "-c", d["confs"]["slow"], "-p", "unix:" + sock],
                         stdin=subprocess.DEVNULL, stdout=errlog, stderr=errlog)
    try:
        for _ in range(100):
            if os.path.exists(sock) or m.poll() is not None:
                break
            time.sleep(0.1)
        if m.poll() is not None:
            raise SystemExit("bench: vigie-milter exited; see %s" % errlog.name)
        p = subprocess.run([sys.executable, CONCURRENCY, "unix:" + sock, str(sessions)] + files,
                           capture_output=True, text=True)
        if not p.stdout.strip():
            raise SystemExit("bench: concurrency.py: %s" % p.stderr[-500:])
        res = json.loads(p.stdout)
    finally:
        m.terminate()
        m.wait()
        errlog.close()
    one = median(res["alone_ms"])
    res.update({"alone_ms_p50": one, "ratio": res["together_total_ms"] / one
                if res["together_total_ms"] else float("nan")})
    return res


def section_dns(g, d, rounds):
    if d is None:
        return {"skipped": "bench/dns.sh could not run (nsd, openssl or python3-dkim missing)"}
    n = int(env("BENCH_DNS_COLD", "60"))
    sessions = int(env("BENCH_DNS_SESSIONS", "10"))
    return {"cached": dns_cached(g, d, rounds), "cold": dns_cold(d, n),
            "concurrent": dns_concurrent(g, d, d["cold"][n:n + 2 * sessions], sessions)}


def latency_ocr(g):
    """OCR (issue 12): the lure that is one inline image (tests/corpus/phish/206),
    median engine CPU per message with OCR off (the shipped default) and on,
    the engine made in the warm-up; and the max RSS of vigie-scan on that
    message, on minus off: the memory of one tesseract engine. Run as
    vigie.service runs it, with OMP_THREAD_LIMIT=1."""
    msg = os.path.join(ROOT, "tests", "corpus", "phish", "206-ocr-inline-image-carte-vitale.eml")
    on = os.path.join(g["dir"], "full-ocr.conf")
    with open(g["full_conf"]) as f:
        text = "".join(l for l in f if not l.startswith("ocr = "))
    with open(on, "w") as f:
        f.write(text + "ocr = true;\n")
    saved = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        out = latency([g["full_conf"], on], [msg], repeat=int(env("BENCH_OCR_REPEAT", "20")))
        rss = []
        for conf in (g["full_conf"], on):
            p = subprocess.Popen([SCAN, "-j", "1", "-c", conf, msg],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rss.append(os.wait4(p.pid, 0)[2].ru_maxrss)
    finally:
        if saved is None:
            del os.environ["OMP_THREAD_LIMIT"]
        else:
            os.environ["OMP_THREAD_LIMIT"] = saved
    return {"off_ms": out["confs"][0]["cpu_us"]["p50"] / 1000,
            "on_ms": out["confs"][1]["cpu_us"]["p50"] / 1000,
            "on_wall_ms": out["confs"][1]["wall_us"]["p50"] / 1000,
            "engine_mib": (rss[1] - rss[0]) / 1024}


# ---------------------------------------------------------------- postfix
def section_postfix(g, rounds, d):
    e = dict(os.environ)
    e.setdefault("BENCH_PF_ROUNDS", str(rounds))
    e["VIGIE_MILTER"] = MILTER
    if d is not None:
        e["BENCH_PF_AUTH_CONF"] = d["confs"]["nsd"]
        e["BENCH_PF_AUTH_MESSAGE"] = d["typical"]
    log("postfix: %s rounds x %s messages, %s sessions, legs %s (load %s)" % (
        e["BENCH_PF_ROUNDS"], e.get("BENCH_PF_MSGS", "2000"), e.get("BENCH_PF_SESSIONS", "10"),
        e.get("BENCH_PF_LEGS", "none null nulllean vigie" + (" vigieauth" if d else "")),
        loadavg()))
    p = subprocess.run(["bash", os.path.join(HERE, "postfix.sh"), g["full_conf"], NULLMILTER,
                        g["typical"]], stdout=subprocess.PIPE, text=True, env=e)
    if p.returncode == 77:
        return {"skipped": "not root"}
    if p.returncode != 0:
        raise SystemExit("bench: bench/postfix.sh failed (%d)" % p.returncode)
    runs = []
    for line in p.stdout.splitlines():
        if line.startswith("leg="):
            runs.append(dict(kv.split("=", 1) for kv in line.split()))
    legs = []
    for r in runs:
        if r["leg"] not in legs:
            legs.append(r["leg"])
    by = {(r["leg"], r["round"]): r for r in runs}
    rnds = sorted({r["round"] for r in runs}, key=int)
    res = {"message_bytes": os.path.getsize(g["typical"]),
           "msgs_per_leg": int(runs[0]["msgs"]) if runs else 0,
           "sessions": int(e.get("BENCH_PF_SESSIONS", "10")),
           "reuse_connections": e.get("BENCH_PF_REUSE", "0") == "1",
           "rounds": len(rnds), "legs": {}, "ratios": {}}
    def ms_per_msg(leg, r, *fields):
        d = by[(leg, r)]
        return sum(int(d[f]) for f in fields) / int(d["clk_tck"]) * 1000 / int(d["msgs"])

    for leg in legs:
        rate = [int(by[(leg, r)]["msgs"]) / float(by[(leg, r)]["secs"]) for r in rnds]
        res["legs"][leg] = {"msgs_s": median(rate), "all_msgs_s": [round(x, 1) for x in rate],
                            "cpu_ms_per_msg": None, "user_ms_per_msg": None, "sys_ms_per_msg": None}
        if leg != "none":
            res["legs"][leg].update({
                "cpu_ms_per_msg": median([ms_per_msg(leg, r, "user_ticks", "sys_ticks") for r in rnds]),
                "user_ms_per_msg": median([ms_per_msg(leg, r, "user_ticks") for r in rnds]),
                "sys_ms_per_msg": median([ms_per_msg(leg, r, "sys_ticks") for r in rnds])})

    def ratio(a, b):
        if a in legs and b in legs:
            res["ratios"]["%s/%s" % (a, b)] = median([
                float(by[(b, r)]["secs"]) / float(by[(a, r)]["secs"]) for r in rnds])
    ratio("vigie", "null")
    ratio("vigie", "nulllean")
    ratio("vigieauth", "null")
    ratio("vigie", "none")
    ratio("null", "none")
    ratio("nulllean", "none")
    if "vigie" in legs and "nulllean" in legs:
        res["vigie_cpu_ms_over_nulllean"] = median([
            ms_per_msg("vigie", r, "user_ticks", "sys_ticks") -
            ms_per_msg("nulllean", r, "user_ticks", "sys_ticks") for r in rnds])
    return res


# ---------------------------------------------------------------- memory
def section_memory(g):
    sessions = env("BENCH_MEM_SESSIONS", "200")
    size = env("BENCH_MEM_SIZE", "50000")
    d = os.path.join(g["dir"], "mem")
    os.makedirs(d, exist_ok=True)
    sock = os.path.join(d, "vigie.sock")
    errlog = open(os.path.join(d, "milter.log"), "w")
    log("memory: %s sessions x %s bytes (load %s)" % (sessions, size, loadavg()))
    m = subprocess.Popen([MILTER, "-f", "-c", g["full_conf"], "-p", "unix:" + sock],
                         stdin=subprocess.DEVNULL, stdout=errlog, stderr=errlog)
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            if m.poll() is not None:
                raise SystemExit("bench: vigie-milter exited; see %s" % errlog.name)
            time.sleep(0.1)
        # the listener is ready when a connection is accepted
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock)
        s.close()
        p = subprocess.run([sys.executable, os.path.join(HERE, "memory.py"), "unix:" + sock,
                            str(m.pid), sessions, size], capture_output=True, text=True)
        if not p.stdout.strip():
            raise SystemExit("bench: memory.py: %s" % p.stderr[-500:])
        res = json.loads(p.stdout)
    finally:
        m.terminate()
        try:
            m.wait(timeout=15)
        except subprocess.TimeoutExpired:
            m.kill()
            m.wait()
        errlog.close()
    return res


# ---------------------------------------------------------------- report
def report_attach(a, L, target):
    L.append("5. attachments (issue 12): engine CPU per message, shipped rules, with / without the attachment")
    for name, what in (("pdf", "invoice + 3-page PDF (text, link, logo)"),
                       ("qr", "HTML + one inline JPEG QR code")):
        x = a[name]
        L.append("   %-40s %7d / %5d bytes: %6.3f / %6.3f ms CPU (wall %6.3f / %6.3f), x%.2f  (rounds: %s)" % (
            what, x["bytes_with"], x["bytes_without"], x["cpu_ms_with"], x["cpu_ms_without"],
            x["wall_ms_with"], x["wall_ms_without"], x["ratio"], " ".join("%.2f" % v for v in x["ratios"])))
    h = a["ham"]
    ok = h["cpu_msgs_s"] >= 4000
    L.append("   ham set, vigie-scan -j 1, CPU time, start-up subtracted (%d messages, median of %d rounds):" % (
        h["messages"], h["rounds"]))
    L.append("     %6.0f msg/s per core   target >= 4,000 msg/s per core: %s   (rounds: %s)" % (
        h["cpu_msgs_s"], "PASS" if ok else "BELOW", " ".join(str(x) for x in h["all_cpu_msgs_s"])))
    L.append("     %6.0f msg/s with attachments not opened (max_attach_bytes = 0); ratio %.3f (~1: no cost without attachments)" % (
        h["cpu_msgs_s_noattach"], h["ratio"]))
    target(">= 4000 msgs/s per core, CPU time (ham)", ok, "%.0f" % h["cpu_msgs_s"])
    target("ham pays nothing for attachment decoders (>= 0.95)", h["ratio"] >= 0.95, "%.3f" % h["ratio"])
    L.append("")


def report_dns(d, L, target):
    if "skipped" in d:
        L.append("6. DNS (issue 14): skipped (%s)" % d["skipped"])
        L.append("")
        return
    c, k, m = d["cached"], d["cold"], d["concurrent"]
    L.append("6. DNS (issue 14): vigie's own SPF, DKIM and DMARC (authentication = \"builtin\"), private nsd")
    for key, what in (("unsigned", "unsigned (SPF, DMARC)"), ("signed", "DKIM-signed (SPF, DKIM, DMARC)")):
        x = c[key]
        L.append("   answers cached, the ordinary message %s, %d bytes: %.3f ms CPU with \"trusted\" (no DNS)" % (
            what, x["bytes"], x["cpu_ms_trusted"]))
        L.append("     extra per message: %.3f ms CPU, %.3f ms wall (p50; rounds: %s)" % (
            x["extra_cpu_ms"], x["extra_wall_ms"], " ".join("%.3f" % v for v in x["all_extra_cpu_ms"])))
    L.append("   cold cache, resolver %d ms late, %d messages each from its own domain: p50 %.1f ms, p99 %.1f ms, max %.1f ms wall (CPU p50 %.3f ms)" % (
        k["delay_ms"], k["messages"], k["wall_ms_p50"], k["wall_ms_p99"], k["wall_ms_max"], k["cpu_ms_p50"]))
    L.append("   vigie-milter, same resolver: one session alone p50 %.1f ms; %d sessions at once: all answered in %.1f ms = %.2f x one" % (
        m["alone_ms_p50"], m["sessions"], m["together_total_ms"], m["ratio"]))
    L.append("     (each session's reply, ms: %s; verdicts %s, errors %d)" % (
        " ".join("%.0f" % x for x in m["together_ms"]), m["verdicts"], m["errors"]))
    target("DNS cached: <= 0.1 ms extra per message (unsigned)", c["unsigned"]["extra_cpu_ms"] <= 0.1,
           "%.3f ms CPU, %.3f wall" % (c["unsigned"]["extra_cpu_ms"], c["unsigned"]["extra_wall_ms"]))
    target("DNS cached: <= 0.1 ms extra per message (DKIM-signed)", c["signed"]["extra_cpu_ms"] <= 0.1,
           "%.3f ms CPU, %.3f wall (the signature's own verification)" % (
               c["signed"]["extra_cpu_ms"], c["signed"]["extra_wall_ms"]))
    target("cold DNS: %d sessions at once <= 1.5 x one" % m["sessions"], m["ratio"] <= 1.5 and m["errors"] == 0,
           "%.2f x" % m["ratio"])
    L.append("")


def report(r):
    L = []
    mc = r["machine"]
    L.append("vigie benchmark %s  git %s" % (mc["date"], mc["git"]))
    L.append("machine: %s, nproc %s, %s GiB, kernel %s; load %s at start, %s at end" % (
        mc["cpu"], mc["nproc"], mc["mem_gib"], mc["kernel"], mc["load_start"], mc["load_end"]))
    if mc.get("load_by_section"):
        L.append("load (1, 5, 15 min) when each section started: " + "; ".join(
            "%s %s" % kv for kv in mc["load_by_section"].items()))
    L.append("")
    verdicts = []

    def target(name, ok, detail):
        verdicts.append((name, ok, detail))

    if "scan" in r:
        s = r["scan"]
        L.append("1. scan throughput: vigie-scan -j 1, median of %d interleaved rounds, start-up subtracted" % s["rounds"])
        L.append("   start-up alone (empty directory): full rules %.3f s (%.3f s CPU), empty rules %.3f s" % (
            s["startup_full"]["wall_s"], s["startup_full"]["cpu_s"], s["startup_empty"]["wall_s"]))
        L.append("   %-7s %6s %7s | %9s %7s %9s | %9s %7s %9s | %6s %6s" % (
            "set", "msgs", "MB", "full m/s", "MB/s", "CPU m/s", "empty m/s", "MB/s", "CPU m/s",
            "ratio", "CPU r."))
        for name, d in s["sets"].items():
            L.append("   %-7s %6d %7.1f | %9.0f %7.1f %9.0f | %9.0f %7.1f %9.0f | %6.2f %6.2f" % (
                name, d["messages"], d["bytes"] / 1e6, d["full"]["msgs_s"], d["full"]["mb_s"],
                d["full"]["cpu_msgs_s"], d["empty"]["msgs_s"], d["empty"]["mb_s"],
                d["empty"]["cpu_msgs_s"], d["ratio"], d["cpu_ratio"]))
        if "ham" in s["sets"]:
            h = s["sets"]["ham"]
            target("scan ratio full/empty >= 0.5 (ham)", h["ratio"] >= 0.5,
                   "%.2f (CPU %.2f)" % (h["ratio"], h["cpu_ratio"]))
            target(">= 4000 msgs/s on one core (ham)", h["full"]["msgs_s"] >= 4000,
                   "%.0f wall, %.0f CPU" % (h["full"]["msgs_s"], h["full"]["cpu_msgs_s"]))
        L.append("")
    if "latency" in r:
        t = r["latency"]
        L.append("2. latency per message (engine in process, microseconds; wall / CPU)")
        for name, d in t["corpora"].items():
            for c in ("full", "empty"):
                w, u = d[c]["wall_us"], d[c]["cpu_us"]
                L.append("   %-6s %-5s rules: p50 %6.0f / %6.0f   p99 %7.0f / %7.0f   max %8.0f / %8.0f   mean %6.0f / %6.0f" % (
                    name, c, w["p50"], u["p50"], w["p99"], u["p99"], w["max"], u["max"], w["mean"], u["mean"]))
        L.append("   the ordinary message sent through Postfix (%d bytes, multipart/alternative): %.0f us CPU, %.0f with empty rules" % (
            t["typical"]["bytes"], t["typical"]["full"], t["typical"]["empty"]))
        L.append("     with the caches flushed before each judgement (as in the milter): %.0f us, %.0f with empty rules" % (
            t["typical"]["full_cold"], t["typical"]["empty_cold"]))
        L.append("   by size (synthetic French text with links; median of repeats):")
        L.append("   %10s | %10s %10s %8s | %10s" % ("bytes", "full wall", "full CPU", "CPU us/KB", "empty CPU"))
        for z in t["sizes"]:
            L.append("   %10d | %10.0f %10.0f %8.2f | %10.0f" % (
                z["bytes"], z["full_wall_us"], z["full_cpu_us"], z["full_cpu_us"] / (z["bytes"] / 1024),
                z["empty_cpu_us"]))
        L.append("   by rule count (ham set, confs interleaved per message):")
        L.append("   %6s %6s %8s | %8s %8s %8s %8s | %7s" % ("pack", "rules", "load s", "CPU p50", "p99", "max", "mean", "x cost"))
        for z in t["rules"]:
            u = z["cpu_us"]
            L.append("   %6s %6d %8.2f | %8.0f %8.0f %8.0f %8.0f | %7.2f" % (
                "x%d" % z["factor"], z["rules"], z["load_s"], u["p50"], u["p99"], u["max"], u["mean"],
                z["cost_vs_x1"]))
        if "ocr" in t:
            o = t["ocr"]
            L.append("   one inline image (lure 206), OCR off / on: %.1f / %.1f ms CPU per message (%.1f ms wall on); one tesseract engine %+.0f MiB" % (
                o["off_ms"], o["on_ms"], o["on_wall_ms"], o["engine_mib"]))
        big = [z for z in t["rules"] if z["factor"] == 100]
        if big:
            target("x100 rules costs far less than x100 time (< x10)", big[0]["cost_vs_x1"] < 10,
                   "x%.1f mean CPU, load %.1f s" % (big[0]["cost_vs_x1"], big[0]["load_s"]))
        sz = {z["size"]: z for z in t["sizes"]}
        lin = [z["full_cpu_us"] / z["bytes"] for z in t["sizes"] if z["bytes"] <= 1_100_000]
        if len(lin) >= 2 and 10_000_000 in sz and 1_000_000 in sz:
            flat = sz[10_000_000]["full_cpu_us"] / sz[1_000_000]["full_cpu_us"]
            target("linear in size to the limits, then flat", max(lin) / min(lin) < 2.5 and flat < 2,
                   "CPU per byte 10 KB..1 MB within x%.1f; 10 MB / 1 MB = %.2f" % (max(lin) / min(lin), flat))
        L.append("")
    if "postfix" in r:
        p = r["postfix"]
        if "skipped" in p:
            L.append("3. through Postfix: skipped (%s)" % p["skipped"])
        else:
            L.append("3. through Postfix: smtp-source -s %d -m %d, %d-byte message, %s, to discard:, median of %d rounds" % (
                p["sessions"], p["msgs_per_leg"], p["message_bytes"],
                "connections reused (-d)" if p["reuse_connections"] else "one connection per message",
                p["rounds"]))
            for leg, d in p["legs"].items():
                L.append("   %-9s %8.0f msgs/s%s   (rounds: %s)" % (
                    leg, d["msgs_s"], "" if d["cpu_ms_per_msg"] is None else
                    "   milter CPU %.3f ms/msg (user %.3f, system %.3f)" % (
                        d["cpu_ms_per_msg"], d["user_ms_per_msg"], d["sys_ms_per_msg"]),
                    " ".join("%.0f" % x for x in d["all_msgs_s"])))
            L.append("   ratios (same round): " + ", ".join("%s %.3f" % kv for kv in p["ratios"].items()))
            if "vigie_cpu_ms_over_nulllean" in p:
                L.append("   vigie CPU beyond libmilter's own (vigie - nulllean): %.3f ms/msg" % p["vigie_cpu_ms_over_nulllean"])
            if "vigie/null" in p["ratios"]:
                target("Postfix: vigie >= 95% of do-nothing milter", p["ratios"]["vigie/null"] >= 0.95,
                       "%.3f (vs lean null: %.3f)" % (p["ratios"]["vigie/null"], p["ratios"].get("vigie/nulllean", float("nan"))))
            if "vigieauth/null" in p["ratios"]:
                target("Postfix: vigie verifying, cached >= 0.9 x null",
                       p["ratios"]["vigieauth/null"] >= 0.9, "%.3f" % p["ratios"]["vigieauth/null"])
            if "vigie" in p["legs"]:
                lean = p["legs"].get("nulllean", {}).get("cpu_ms_per_msg")
                target("< 0.3 ms CPU/message: whole vigie-milter process",
                       p["legs"]["vigie"]["cpu_ms_per_msg"] < 0.3,
                       "%.3f ms%s" % (p["legs"]["vigie"]["cpu_ms_per_msg"], "" if lean is None else
                                      " (libmilter alone, lean do-nothing milter: %.3f)" % lean))
            if "vigie_cpu_ms_over_nulllean" in p:
                target("< 0.3 ms CPU/message: vigie's own (minus lean null)",
                       p["vigie_cpu_ms_over_nulllean"] < 0.3, "%.3f ms" % p["vigie_cpu_ms_over_nulllean"])
        L.append("")
    if "memory" in r:
        m = r["memory"]
        L.append("4. memory: vigie-milter, %d concurrent milter sessions of %d bytes, judged together" % (
            m["sessions"], m["message_bytes"]))
        L.append("   RSS idle %.1f MiB, all held %.1f MiB, peak VmHWM %.1f MiB, threads peak %d, %d completed, %d errors" % (
            m["rss_before_kib"] / 1024, m["rss_all_held_kib"] / 1024, m["vmhwm_kib"] / 1024,
            m["threads_peak"], m["completed"], m["errors"]))
        target("< 64 MiB RSS at %d sessions" % m["sessions"], m["vmhwm_kib"] < 64 * 1024 and m["errors"] == 0,
               "%.1f MiB" % (m["vmhwm_kib"] / 1024))
        L.append("")
    if "attach" in r:
        report_attach(r["attach"], L, target)
    if "dns" in r:
        report_dns(r["dns"], L, target)
    L.append("targets:")
    for name, ok, detail in verdicts:
        L.append("   %-4s %-52s %s" % ("MET" if ok else "MISS", name, detail))
    r["targets"] = [{"target": n, "met": ok, "measured": d} for n, ok, d in verdicts]
    return "\n".join(L) + "\n"


def main():
    for f in (SCAN, MILTER, LATENCY, NULLMILTER):
        if not os.access(f, os.X_OK):
            raise SystemExit("bench: %s not built (make bench builds it)" % f)
    sections = env("BENCH_SECTIONS", "scan latency attach dns postfix memory").split()
    if os.environ.pop("VIGIE_DNS_RESOLVER", None) is not None:
        log("VIGIE_DNS_RESOLVER unset: the DNS rows name their own resolvers")
    rounds = int(env("BENCH_ROUNDS", "5"))
    corpus = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
    sets = {"ham": env("BENCH_HAM", os.path.join(corpus, "spamassassin_easy_ham")),
            "phish": env("BENCH_PHISH", os.path.join(corpus, "phishing_pot"))}
    for s, p in sets.items():
        if not os.path.isdir(p):
            raise SystemExit("bench: corpus %s not found: %s (set BENCH_HAM / BENCH_PHISH)" % (s, p))
    sizes = [int(x) for x in env("BENCH_SIZES", "10000 100000 1000000 4000000 10000000").split()]
    factors = [int(x) for x in env("BENCH_RULE_FACTORS", "1 10 100").split()]
    if factors[0] != 1:
        factors.insert(0, 1)
    t0 = time.monotonic()
    r = {"machine": machine(), "settings": {
        "sections": sections, "rounds": rounds, "sizes": sizes, "factors": factors,
        "env": {k: v for k, v in os.environ.items() if k.startswith("BENCH_")}}}
    tmp = tempfile.mkdtemp(prefix="vigie-bench.")
    os.chmod(tmp, 0o755)
    dns = None
    try:
        log("generating inputs in %s" % tmp)
        g = gen.generate(tmp, sizes=sizes, factors=factors)
        g["dir"] = tmp
        r["inputs"] = {"rule_packs": {str(k): {kk: vv for kk, vv in v.items() if kk != "conf"}
                                      for k, v in g["packs"].items()}}
        if "dns" in sections or ("postfix" in sections and "vigieauth" in env(
                "BENCH_PF_LEGS", "vigieauth")):
            dns = dns_start(g)
        r["machine"]["load_by_section"] = loads = {}
        for name, fn in (("scan", lambda: section_scan(g, sets, rounds)),
                         ("latency", lambda: section_latency(g, sets, sizes, factors)),
                         ("attach", lambda: section_attach(g, sets, rounds)),
                         ("dns", lambda: section_dns(g, dns, rounds)),
                         ("postfix", lambda: section_postfix(g, rounds, dns)),
                         ("memory", lambda: section_memory(g))):
            if name in sections:
                loads[name] = loadavg()
                r[name] = fn()
    finally:
        dns_stop(dns)
        if env("BENCH_KEEP", "0") == "1":
            log("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    r["machine"]["load_end"] = loadavg()
    r["seconds"] = round(time.monotonic() - t0, 1)
    text = report(r) + "(%.0f s)\n" % r["seconds"]
    out = os.path.join(HERE, "results")
    os.makedirs(out, exist_ok=True)
    stem = os.path.join(out, "bench-" + time.strftime("%Y%m%d-%H%M%S"))
    with open(stem + ".txt", "w") as f:
        f.write(text)
    with open(stem + ".json", "w") as f:
        json.dump(r, f, indent=1)
    sys.stdout.write("\n" + text)
    log("results in %s.txt and .json" % stem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
