# The release build as it is installed, for scripts/install and the benches (sourced from the
# source folder). Sets release_flags for `swift build -c release`:
# - the Swift runtime and Foundation linked into the program (--static-swift-stdlib): it starts
#   in about half the time and runs without the toolchain's libraries;
# - ICU's data trimmed to the root, Swedish and English (scripts/icu-data, Sources/CIcuData):
#   6 MB instead of 34;
# - the program's relocations packed (RELR, `-z pack-relative-relocs` with the toolchain's lld;
#   glibc 2.36 or later runs them): the loader touches far fewer pages, so a command starts in
#   about seven eighths of the time, and the program stays position-independent (ASLR).
# Each of the last two is left out, with a line saying so, where the machine cannot do it.
# With `scratch` set, the builds use that folder instead of .build (scripts/install --scratch-path).
release_flags=(--static-swift-stdlib)
[ -n "${scratch:-}" ] && release_flags+=(--scratch-path "$scratch")
if icu_made=$(scripts/icu-data "${scratch:-.build}/icu-data" ${scratch:+"$scratch"}); then
  read -r icu_symbol icu_data <<<"$icu_made"
  release_flags+=(-Xcc "-DBEVAKA_ICU_SYMBOL=$icu_symbol" -Xcc "-DBEVAKA_ICU_DATA=\"$icu_data\"")
else
  echo "ICU:s data används hela (programmet blir 28 MB större)." >&2
fi
release_toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
release_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [ -x "$release_toolchain/bin/ld.lld" ] && [ -n "$release_glibc" ] \
   && [ "$(printf '%s\n2.36\n' "$release_glibc" | sort -V | head -1)" = "2.36" ]; then
  release_flags+=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
else
  echo "Relokeringarna packas inte (lld eller glibc 2.36 saknas); programmet startar något långsammare." >&2
fi
