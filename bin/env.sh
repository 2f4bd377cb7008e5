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

# The pinned anvil/forge/cast/solc-js/OpenZeppelin versions live in package.json + package-lock.json. They
# are installed again only when the lock file's content differs from the one installed (a stamp written
# after each install), never because of file times, which differ between clones and worktrees.
lock_sha="$(sha256sum "$GUARDIAN_ROOT/package-lock.json" | cut -d' ' -f1)"
stamp="$GUARDIAN_ROOT/node_modules/.guardian-package-lock.sha256"
if [ ! -x "$GUARDIAN_ROOT/node_modules/.bin/anvil" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sha" ]; then
  (cd "$GUARDIAN_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sha" > "$stamp"
fi
