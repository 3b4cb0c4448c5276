#!/usr/bin/env bash
# Installs the Debian packages Roster needs. Idempotent: asks apt only for what is missing,
# and runs `apt-get update` once, only when something has to be installed.
#   scripts/deps.sh build   what building and running Roster needs
#   scripts/deps.sh test    that, plus what the test suite needs
#   scripts/deps.sh bench   that, plus the peers the benchmarks compare against
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev libzip-dev libexpat1-dev libdeflate-dev libfreexl-dev libxlsxwriter-dev
  nlohmann-json3-dev libidn2-dev libutf8proc-dev libsodium-dev libcli11-dev
  libcpp-httplib-dev libpqxx-dev libssl-dev
)
# PostgreSQL, Chromium and clang's fuzzers (scripts/fuzz.sh) join this list with the issues that
# use them. libclang-rt-14-dev holds libFuzzer and the sanitizer runtimes (clang only recommends
# it); llvm puts llvm-symbolizer on the PATH for readable sanitizer reports. clang-format and
# clang-tidy are scripts/lint.sh's (clang does not bring them).
test_packages=(libgtest-dev libgmock-dev sqlite3 unzip chromium postgresql-15 iproute2 wrk
  clang libclang-rt-14-dev llvm clang-format clang-tidy)
bench_packages=(libbenchmark-dev python3-openpyxl time wrk)

wanted=("${build_packages[@]}")
case "${1:-build}" in
  build) ;;
  test) wanted+=("${test_packages[@]}") ;;
  bench) wanted+=("${test_packages[@]}" "${bench_packages[@]}") ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

# Node.js: the machine's own (with npm) when it has one, else Debian's. Debian's nodejs and a
# repackaged one with its own npm conflict, so never ask apt for npm beside an existing node.
command -v node >/dev/null && command -v npm >/dev/null || wanted+=(nodejs npm)

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  ((EUID == 0)) || sudo_cmd=(sudo)
  echo "roster: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
