#!/usr/bin/env bash
# Sets up a fresh machine: a browser for the PDF (Debian's chromium-headless-shell, which datadeck
# prefers, and chromium, which DeckTape's test drives, when apt-get is here and they are missing),
# poppler-utils for the tests that read the PDF, the npm packages from the lockfile, the
# compiled CLI. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
  [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "$PUPPETEER_EXECUTABLE_PATH" ] && return 0
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    [ -x "$candidate" ] && return 0
  done
  return 1
}

# Node.js 20.19+ with npm: vitest and chokidar need it, and Debian's own nodejs package is older.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: Node.js 20.19 or newer with npm is needed and was not found; install it (nodejs.org, or NodeSource's Debian packages), then run this again." >&2
  exit 1
fi
if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1)'; then
  echo "setup: Node.js $(node --version) is too old; datadeck needs 20.19 or newer (nodejs.org, or NodeSource's Debian packages)." >&2
  exit 1
fi

missing=()
# Wanted, not needed: builds prefer the headless shell (about a third faster), and use chromium without it.
wanted=()
if command -v apt-get >/dev/null 2>&1; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromium-headless-shell ] || wanted+=(chromium-headless-shell)
else
  have_browser || missing+=(chromium)
fi
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
apt_install() {
  echo "setup: installing $* with apt-get"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" fonts-liberation >/dev/null
}
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    apt_install "${missing[@]}" "${wanted[@]}"
  else
    echo "setup: missing ${missing[*]} and no apt-get here; install a Chrome or Chromium (or set PUPPETEER_EXECUTABLE_PATH) and poppler." >&2
  fi
elif [ ${#wanted[@]} -gt 0 ]; then
  apt_install "${wanted[@]}" || echo "setup: could not install ${wanted[*]}; builds use chromium instead (slower)" >&2
fi

# datadeck uses puppeteer-core (no download); .puppeteerrc.cjs stops DeckTape's Puppeteer downloading a browser when a system one exists.
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run compile --silent
browser="$(command -v chromium-headless-shell || command -v chromium || true)"
echo "setup: done ($(node --version), browser: ${browser:-${PUPPETEER_EXECUTABLE_PATH:-none found; node bin/datadeck.js doctor says how to get one}})"
