# Sourced by the project's scripts: finds an installed JDK of at least a given major version, preferring
# JAVA_HOME, then the Temurin and OpenJDK installs this kind of machine has.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}

# find_jdk MIN [TOOL]: prints the home of the first JDK whose major version is at least MIN and that has
# bin/TOOL (javac by default: building needs a compiler; running needs only java).
find_jdk() {
  local least="$1" tool="${2:-javac}" candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
      /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/$tool" ]; then
      major="$(java_major "$candidate")"
      if [ -n "$major" ] && [ "$major" -ge "$least" ]; then
        echo "$candidate"
        return 0
      fi
    fi
  done
  return 1
}
