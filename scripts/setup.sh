# Shared set-up of scripts/run and scripts/test; sourced, not run.
# Installs the Debian packages oasis needs when some are missing, configures
# and builds with CMake, and (re)builds the default index of corpus/.

OASIS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OASIS_BUILD=${OASIS_BUILD:-$OASIS_ROOT/build}
OASIS_PACKAGES=(build-essential g++ cmake pkg-config libxapian-dev xapian-tools libstemmer-dev
                libutf8proc-dev libjansson-dev libcmocka-dev libmicrohttpd-dev zlib1g-dev python3)
# The browser tests (tests/browser/): Debian's Chromium, driven through
# playwright-core from npm, with the machine's Node.js and npm (Debian's
# when the machine has none). Python 3 above is for scripts/relevance.
OASIS_TEST_PACKAGES=(chromium)
command -v node >/dev/null 2>&1 || OASIS_TEST_PACKAGES+=(nodejs npm)
# scripts/fuzz: clang and its runtime libraries, libFuzzer among them.
OASIS_FUZZ_PACKAGES=(clang libclang-rt-14-dev)

oasis_log() { printf '%s\n' "$*" >&2; }

oasis_install_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        oasis_log "missing Debian packages: ${missing[*]}"
        oasis_log "install them as root: apt-get install ${missing[*]}"
        return 1
    fi
    oasis_log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# oasis_build DIR [CMAKE ARGS...]
oasis_build() {
    local dir=$1
    shift
    cmake -S "$OASIS_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null &&
        cmake --build "$dir" --parallel "$(nproc)"
}

# oasis_index INDEX: builds INDEX from corpus/ when it is missing or older
# than the corpus or the indexer.
oasis_index() {
    local index=$1 stamp=$1/iamglass
    if [ -f "$stamp" ] && [ -z "$(find "$OASIS_ROOT/corpus" "$OASIS_BUILD/oasis-index" -newer "$stamp" -print -quit)" ]; then
        return 0
    fi
    rm -rf "$index"
    (cd "$OASIS_ROOT" && "$OASIS_BUILD/oasis-index" --index "$index" corpus/)
}

oasis_setup() {
    oasis_install_packages "${OASIS_PACKAGES[@]}" &&
        oasis_build "$OASIS_BUILD" &&
        oasis_index "${OASIS_INDEX:-$OASIS_ROOT/oasis.db}"
}
