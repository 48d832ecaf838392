# Sourced by the other scripts: points JAVA_HOME at a JDK 21 or newer (Parley builds with --release 21), looking at
# JAVA_HOME, the java on PATH, then the usual install folders, and says what to do when there is none.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]) }'
}

is_jdk21() {
  [ -x "$1/bin/javac" ] && [ "$(java_major "$1")" -ge 21 ] 2>/dev/null
}

find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && is_jdk21 "$JAVA_HOME"; then echo "$JAVA_HOME"; return; fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if is_jdk21 "$candidate"; then echo "$candidate"; return; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    if is_jdk21 "$candidate"; then echo "$candidate"; return; fi
  done
}

JAVA_HOME=$(find_jdk)
if [ -z "$JAVA_HOME" ]; then
  echo "parley: needs a JDK 21 or newer; install one (e.g. Temurin 21) and set JAVA_HOME to it" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

if ! command -v mvn >/dev/null 2>&1; then
  echo "parley: needs Apache Maven 3.8 or newer on PATH" >&2
  exit 1
fi
