#!/usr/bin/env bash
# check-map.sh: docs/architecture.md's map names every source file, and only files that exist.
#
# The map ("Where things are") is how a newcomer finds a type by name; a file added or
# renamed without it would quietly make the map lie. Speaks TAP: one case per folder.
# Usage: check-map.sh SOURCE_ROOT
set -u

root=${1:?usage: check-map.sh SOURCE_ROOT}
doc="$root/docs/architecture.md"
folders=(common app app/store app/sync app/model app/index app/pdf app/ui server)

# The map's file names: every `name.c`, `name.h` or `name.ui` written in backquotes in the
# section "## Where things are", reduced to its stem (a type's .c, .h and .ui go together).
map=$(sed -n '/^## Where things are/,/^## /p' "$doc")
[ -n "$map" ] || { echo "1..0 # SKIP"; echo "Bail out! docs/architecture.md has no section '## Where things are'"; exit 1; }
named=$(grep -o '`[A-Za-z0-9_./-]*\.\(c\|h\|ui\)`' <<<"$map" | tr -d '`' | sed 's/\.\(c\|h\|ui\)$//' | sort -u)

echo "1..${#folders[@]}"
n=0
for folder in "${folders[@]}"; do
  n=$((n + 1))
  problems=()
  [ -d "$root/$folder" ] || { echo "ok $n $folder # SKIP no such folder"; continue; }
  for path in "$root/$folder"/*.c "$root/$folder"/*.h "$root/$folder"/*.ui; do
    [ -e "$path" ] || continue
    name=$(basename "$path")
    stem=${name%.*}
    grep -qx -- "$stem\|$folder/$stem" <<<"$named" || problems+=("not in the map: $folder/$name")
  done
  if [ ${#problems[@]} -eq 0 ]; then
    echo "ok $n $folder"
  else
    echo "not ok $n $folder"
    printf '# %s\n' "${problems[@]}"
  fi
done

# Names in the map that no folder holds (a file renamed or removed since).
missing=()
for name in $named; do
  # Patterns written as patterns (`docket-server-routes-AREA.c`, `-private.h`) name no file.
  case "$name" in -*|*[A-Z]*) continue ;; esac
  base=$(basename -- "$name")
  found=$(find "$root/common" "$root/app" "$root/server" -name "$base.*" -print -quit 2>/dev/null)
  [ -n "$found" ] || missing+=("$name")
done
if [ ${#missing[@]} -ne 0 ]; then
  printf '# in the map but nowhere in the sources: %s\n' "${missing[@]}"
  echo "Bail out! the map names files that do not exist"
  exit 1
fi
