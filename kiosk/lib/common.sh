# Shared helpers for kiosk/run, kiosk/test and kiosk/bench. Source it; do not run it.
# shellcheck shell=bash

HALLKIOSK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Debian packages the project needs to build, test and run (server, kiosk, printing).
HALLKIOSK_PACKAGES=(
  # build
  libsqlite3-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libqrencode-dev libcups2-dev
  # run and test
  sqlite3 postgresql cups cups-ipp-utils cups-filters cups-client fonts-noto-cjk xvfb xauth x11-utils dbus curl zbar-tools python3 procps iproute2
  # appliance test: systemd-analyze verify, setpriv
  systemd util-linux
  # the calling display's voice: kiosk/voice/make-voice-pack (espeak-ng) and hearing it in tests (sox)
  espeak-ng sox
  # benchmarks
  wrk
  # browser tests (kiosk/tests/console-keyboard-day …): pages driven by keys in headless Chromium (kiosk/tools/cdp.py)
  chromium python3-websocket
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs whatever of HALLKIOSK_PACKAGES is missing (apt, as root or with sudo).
ensure_packages() {
  local missing=()
  for p in "${HALLKIOSK_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install: ${missing[*]}"
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq || die "apt-get update failed; check the network or the apt sources"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
}

# Puts a Swift toolchain on PATH (the machine image has one in /opt/swift).
ensure_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
      [ -x "$d/swift" ] && export PATH="$d:$PATH" && break
    done
  fi
  command -v swift >/dev/null 2>&1 || die "no Swift toolchain found; install Swift 6.x (https://www.swift.org/install/linux/) and retry"
}
