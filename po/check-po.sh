#!/usr/bin/env bash
# usage: check-po.sh SOURCE_ROOT LANG
# Fails when po/LANG.po misses or fuzzes a string of the sources in po/POTFILES.in, when a
# source that calls gettext is not listed there, or when the .po file is malformed.
set -euo pipefail
root=$1 lang=$2
cd "$root"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
grep -v '^\s*#' po/POTFILES.in | sed '/^\s*$/d' > "$work/files"
while read -r f; do [ -f "$f" ] || { echo "POTFILES.in names a missing file: $f"; exit 1; }; done < "$work/files"
unlisted=$(grep -rlE '\b(_|N_|C_|NC_|g_dngettext|ngettext)\(\s*"' --include='*.c' app server common 2>/dev/null |
  while read -r f; do grep -qxF "$f" "$work/files" || echo "$f"; done)
[ -z "$unlisted" ] || { echo "sources with translatable strings missing from po/POTFILES.in: $unlisted"; exit 1; }
xgettext --from-code=UTF-8 --add-comments -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kg_dngettext:2,3 -kngettext:1,2 \
  -f "$work/files" -o "$work/fresh.pot"
msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$work/fresh.pot" -o "$work/merged.po"
stats=$(msgfmt --check --statistics -o /dev/null "$work/merged.po" 2>&1 | tail -n1)
echo "$lang: $stats"
case "$stats" in *untranslated*|*fuzzy*) exit 1 ;; esac
