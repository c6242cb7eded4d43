# shellcheck shell=bash
# docket-setup.sh: what ./run-demo and ./run-tests share (sourced, not run).
#
# Installs the Debian packages Docket needs to build, run and test, builds a meson build
# folder, and starts a private D-Bus session with an unlocked gnome-keyring-daemon.

DOCKET_PACKAGES=(
  meson ninja-build gcc pkg-config gettext appstream desktop-file-utils
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libpoppler-glib-dev libqpdf-dev
  libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsecret-1-dev libsodium-dev nettle-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core fonts-noto-core
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools curl openssl
  poppler-utils qpdf libclang-rt-14-dev at-spi2-core libatspi2.0-dev
  python3
)

# Bold and colours only on a terminal, so that CI logs stay plain text.
if [ -t 1 ]; then
  DOCKET_BOLD=$'\033[1m' DOCKET_RED=$'\033[1;31m' DOCKET_YELLOW=$'\033[1;33m' DOCKET_RESET=$'\033[0m'
else
  DOCKET_BOLD='' DOCKET_RED='' DOCKET_YELLOW='' DOCKET_RESET=''
fi

say () { printf '%s==> %s%s\n' "$DOCKET_BOLD" "$*" "$DOCKET_RESET"; }
warn () { printf '%swarning:%s %s\n' "$DOCKET_YELLOW" "$DOCKET_RESET" "$*" >&2; }
error () { printf '%serror:%s %s\n' "$DOCKET_RED" "$DOCKET_RESET" "$*" >&2; }
die () { error "$@"; exit 1; }

# Installs the packages of DOCKET_PACKAGES that are not installed yet; does nothing (not
# even apt-get update) when everything is there.
docket_install_packages () {
  local missing=() pkg status sudo=()

  if ! command -v dpkg-query >/dev/null 2>&1; then
    warn "this is not a Debian system: install by hand the equivalents of: ${DOCKET_PACKAGES[*]}"
    return 0
  fi

  for pkg in "${DOCKET_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      die "missing packages (${missing[*]}) and no sudo to install them: run as root: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi

  say "Installing missing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update ||
    die "apt-get update failed (network? apt sources?)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" ||
    die "apt-get install failed for: ${missing[*]}"
}

# Jobs for ninja and meson test: one per core (ninja's default would be cores + 2).
docket_jobs () {
  nproc 2>/dev/null || echo 2
}

# docket_build DIR MESON_OPTION...: configures DIR (or reconfigures it, so that the options
# given here always hold) and builds everything in it. Returns non-zero, after saying what
# failed, when configuring or building fails.
docket_build () {
  local dir=$1 log status=0
  shift

  log=$(mktemp)
  if [ -f "$dir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$dir" "$@" >"$log" 2>&1 || status=$?
  else
    rm -rf "$dir"
    meson setup "$dir" "$@" >"$log" 2>&1 || status=$?
  fi
  if [ $status -ne 0 ]; then
    tail -n 15 "$log" >&2
    rm -f "$log"
    error "configuring $dir failed (meson setup $*): see above, or $dir/meson-logs/meson-log.txt"
    return 1
  fi
  rm -f "$log"

  ninja -C "$dir" -j "$(docket_jobs)" || {
    error "building $dir failed: the compiler errors are above (the first one is the one to fix)"
    return 1
  }
}

# A fresh HOME and XDG folders under $1, exported, so that nothing of the user's own
# desktop (keyring, settings, caches) leaks into a run, or is touched by it.
docket_fresh_home () {
  local root=$1

  mkdir -p "$root/home" "$root/data" "$root/config" "$root/cache" "$root/runtime"
  chmod 700 "$root/runtime"
  export HOME="$root/home"
  export XDG_DATA_HOME="$root/data"
  export XDG_CONFIG_HOME="$root/config"
  export XDG_CACHE_HOME="$root/cache"
  export XDG_RUNTIME_DIR="$root/runtime"
}

docket_random_password () {
  openssl rand -hex 16 2>/dev/null || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# docket_with_keyring COMMAND...: runs COMMAND in a new private D-Bus session where
# gnome-keyring-daemon serves the Secret Service, unlocked with a random password (the
# first unlock creates the "login" keyring). Waits until the daemon owns its bus name (else
# a request would make D-Bus start a second, locked one), and checks that a secret can be
# stored and read back before running COMMAND, so that a broken keyring is reported as
# such. The chatter of dbus-daemon and gnome-keyring-daemon goes to $DOCKET_SESSION_LOG
# (default: /dev/null); COMMAND keeps the caller's standard error.
# shellcheck disable=SC2016  # the inner bash expands its own variables
docket_with_keyring () {
  local password
  password=$(docket_random_password)
  DOCKET_KEYRING_PASSWORD=$password \
  dbus-run-session -- bash -c '
    set -e
    printf %s "$DOCKET_KEYRING_PASSWORD" |
      gnome-keyring-daemon --unlock --components=secrets >/dev/null
    unset DOCKET_KEYRING_PASSWORD
    for _ in $(seq 100); do
      dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q "boolean true" && break
      sleep 0.1
    done
    if ! printf check | secret-tool store --label="docket check" docket-setup check ||
       [ "$(secret-tool lookup docket-setup check)" != check ]; then
      echo "error: the private gnome-keyring-daemon does not answer as a Secret Service" >&3
      exit 1
    fi
    secret-tool clear docket-setup check
    exec "$@" 2>&3 3>&-
  ' docket-keyring "$@" 3>&2 2>>"${DOCKET_SESSION_LOG:-/dev/null}"
}
