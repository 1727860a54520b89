#!/bin/sh
# build-deb.sh - build the Debian package from this tree (make deb).
#
# SYNOPSIS
#	make deb
#	sh packaging/build-deb.sh [OUTDIR]		(default OUTDIR: build/deb)
#
# DESCRIPTION
#	Exports the committed tree (git archive HEAD) to a temp dir, puts
#	packaging/debian/ at its root and runs dpkg-buildpackage -us -uc -b
#	there: debian/rules calls the repository's Makefile with
#	dpkg-buildflags' CFLAGS and LDFLAGS. Uncommitted edits are not
#	packaged (a warning says so when there are some); outside a git
#	checkout (a source tarball) the files as they are are copied.
#	The .deb files, .buildinfo and .changes land in OUTDIR; the path
#	of the main .deb is printed last. The working tree is not touched.
#
#	Needs the Build-Depends of packaging/debian/control (packaging/
#	deps.sh installs them) and dpkg-dev; runs as root or not.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-$ROOT/build/deb}
command -v dpkg-buildpackage >/dev/null ||
	{ echo "build-deb: dpkg-buildpackage not found (apt-get install dpkg-dev debhelper)" >&2; exit 1; }
VERSION=$(dpkg-parsechangelog -l "$ROOT/packaging/debian/changelog" -S Version)
ARCH=$(dpkg --print-architecture)
UPSTREAM=${VERSION%-*}

TMP=$(mktemp -d /tmp/vigie-deb.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
SRC=$TMP/vigie-$UPSTREAM
mkdir "$SRC"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
	if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
		echo "build-deb: warning: uncommitted changes are not packaged (building HEAD)" >&2
	fi
	git -C "$ROOT" archive --format=tar HEAD | (cd "$SRC" && tar -xf -)
else
	(cd "$ROOT" && tar -cf - --exclude='./build' --exclude='./build-*' .) |
		(cd "$SRC" && tar -xf -)
fi
rm -rf "$SRC/bench" "$SRC/debian"
mv "$SRC/packaging/debian" "$SRC/debian"

echo "build-deb: building vigie $VERSION in $SRC"
(cd "$SRC" && dpkg-buildpackage -us -uc -b -Jauto) >"$TMP/build.log" 2>&1 || {
	tail -n 60 "$TMP/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed (last lines above)" >&2
	exit 1
}
mkdir -p "$OUTDIR"
for f in "$TMP"/*.deb "$TMP"/*.buildinfo "$TMP"/*.changes; do
	[ -e "$f" ] && cp "$f" "$OUTDIR/"
done
cp "$TMP/build.log" "$OUTDIR/vigie_${VERSION}_$ARCH.build"
DEB=$OUTDIR/vigie_${VERSION}_$ARCH.deb
[ -f "$DEB" ] || { echo "build-deb: $DEB was not produced" >&2; exit 1; }
echo "$DEB"
