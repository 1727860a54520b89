#!/bin/bash
# test_layers.sh - the source folders are layers: no include runs upward,
# no include loop.
#
# SYNOPSIS
#	bash tests/layers/test_layers.sh [-v]
#
# DESCRIPTION
#	The engine's folders are layers, from the bottom (the order below is
#	the architecture; the Makefile and README say the same):
#	util, text, decode, auth, ruleset, verdict, detect, rules, conf, then
#	milter/engine/ itself; above the engine, daemon/ and scan/, which
#	never include each other. A sub-folder (decode/attach/) belongs to
#	the layer of its parent. A quoted include names a header by its
#	bare name; it is resolved to the folder that holds it. Checks:
#	  1. every quoted include resolves to exactly one header;
#	  2. no file includes a header of a higher layer (or of a sibling
#	     program);
#	  3. no include loop among the headers and sources.
#	-v prints the include graph, folder to folder, with counts.
#	Ends with "N passed, M failed" (tests/lib.sh).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2

. tests/lib.sh
out=$(python3 - "$@" <<'PY'
import os, re, sys
layers = ["engine/util", "engine/text", "engine/decode", "engine/auth",
          "engine/ruleset",
          "engine/verdict", "engine/detect", "engine/rules", "engine/conf",
          "engine", "daemon", "scan"]
rank = {d: i for i, d in enumerate(layers)}
def layer_of(folder):
    # a sub-folder belongs to the layer of its nearest listed parent
    while folder not in rank and "/" in folder:
        folder = folder.rsplit("/", 1)[0]
    return folder
files = {}
for dirpath, _, names in os.walk("milter"):
    for n in names:
        if n.endswith((".c", ".h")):
            files[os.path.join(dirpath, n)] = layer_of(os.path.relpath(dirpath, "milter"))
headers = {}
for p in files:
    if p.endswith(".h"):
        headers.setdefault(os.path.basename(p), []).append(p)
def check(ok, what, detail=()):
    # one line per check, read by the shell below: "ok|not ok<TAB>what",
    # then on failure what is wrong, one line each
    print("%s\t%s" % ("ok" if ok else "not ok", what))
    if not ok:
        for d in detail:
            print("    " + d)
unknown = [d for d in set(files.values()) if d not in rank]
check(not unknown, "every source folder has a layer", unknown)
edges, graph, bad, unresolved = {}, {}, [], []
for p, d in sorted(files.items()):
    for inc in re.findall(r'^#include "([^"]+)"', open(p).read(), re.M):
        target = headers.get(os.path.basename(inc), [])
        if len(target) != 1:
            unresolved.append("%s: %s" % (p, inc))
            continue
        t = target[0]
        graph.setdefault(p, set()).add(t)
        td = files[t]
        edges[(d, td)] = edges.get((d, td), 0) + 1
        if d in rank and td in rank:
            upward = rank[td] > rank[d]
            siblings = {d, td} == {"daemon", "scan"}
            if upward or siblings:
                bad.append("%s includes %s (%s above %s)" % (p, t, td, d))
check(not unresolved, "every include names one header", unresolved)
check(not bad, "no include runs upward", bad)
# loops: depth-first search over files
loops, state = [], {}
def visit(n, stack):
    state[n] = 1
    stack.append(n)
    for m in sorted(graph.get(n, ())):
        if m == n:
            continue
        if state.get(m) == 1:
            loops.append(" -> ".join(stack[stack.index(m):] + [m]))
        elif m not in state:
            visit(m, stack)
    stack.pop()
    state[n] = 2
for n in sorted(graph):
    if n not in state:
        visit(n, [])
check(not loops, "no include loop", loops)
if "-v" in sys.argv[1:]:
    for (a, b), n in sorted(edges.items(), key=lambda e: (rank.get(e[0][0], 99), rank.get(e[0][1], 99))):
        if a != b:
            print("%-16s -> %-16s %d" % (a, b, n))
PY
) || { not_ok "the layer check runs"; finish; }
while IFS=$'\t' read -r verdict what; do
	case $verdict in
	ok)	ok "$what" ;;
	"not ok") not_ok "$what" ;;
	*)	echo "$verdict${what:+	$what}" ;;
	esac
done <<<"$out"
finish
