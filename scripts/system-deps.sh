#!/usr/bin/env bash
# Installs the Debian packages that features use: espeak-ng (narration), chromium and
# chromium-driver (browser tests), fonts (DejaVu, and Noto CJK and Noto Color Emoji so visuals
# draw Chinese, Japanese, Korean and emoji, not empty boxes), libcairo2 (SVG logos are drawn
# with it). Skips quietly when not root or not on Debian.
set -u
wanted=(espeak-ng chromium chromium-driver fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji libcairo2)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: missing system packages (${missing[*]}); narration or browser tests will be skipped." >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || echo "note: could not install ${missing[*]}" >&2
exit 0
