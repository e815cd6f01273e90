#!/usr/bin/env bash
# Debian packages the portal needs: PostgreSQL (tests), Chromium (browser tests), the fonts and
# libraries WeasyPrint renders with, and poppler (PDF checks). Installs only what is missing.
set -euo pipefail

needed=()
{ ls /usr/lib/postgresql/*/bin/initdb && id postgres; } >/dev/null 2>&1 || needed+=(postgresql)
[ -x /usr/bin/chromium ] || needed+=(chromium)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || needed+=(fonts-liberation)
command -v pdftoppm >/dev/null || needed+=(poppler-utils)
ldconfig -p | grep -q libpangoft2-1.0 || needed+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset || needed+=(libharfbuzz-subset0)

if [ "${#needed[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${needed[*]}"
  if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
