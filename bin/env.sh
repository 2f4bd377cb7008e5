# Sourced by the project's scripts: finds a JDK 21+ (Web3j 6 needs it) and puts the pinned Node tools
# in place. Nothing is installed by hand; everything comes from this repository's files.
set -euo pipefail

GUARDIAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export GUARDIAN_ROOT

source "$GUARDIAN_ROOT/bin/jdk.sh"

if ! JAVA_HOME="$(find_jdk 21)"; then
  echo "Guardian needs a JDK 21 or later (Web3j 6 is compiled for 21). Install one (e.g. Temurin 25) or set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

command -v mvn >/dev/null || { echo "Guardian builds with Apache Maven 3.8+ (mvn not found)." >&2; exit 1; }
command -v npm >/dev/null || { echo "Guardian's local chain tools come from npm (Node.js 20+); npm not found." >&2; exit 1; }

# The pinned anvil/forge/cast/solc-js/OpenZeppelin versions live in package.json + package-lock.json.
if [ ! -x "$GUARDIAN_ROOT/node_modules/.bin/anvil" ] || [ "$GUARDIAN_ROOT/package-lock.json" -nt "$GUARDIAN_ROOT/node_modules/.package-lock.json" ]; then
  (cd "$GUARDIAN_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
