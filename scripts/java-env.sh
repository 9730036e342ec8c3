# Sourced by ./convlab and the scripts: finds a Java 25 JDK and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is Java 25 or newer, then any JDK 25+ under /usr/lib/jvm.
convlab_java_major() {  # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
convlab_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(convlab_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
if ! CONVLAB_JDK=$(convlab_find_jdk); then
  echo "convlab: no Java 25 JDK found (set JAVA_HOME, or install one under /usr/lib/jvm, e.g. scripts/install-deps.sh)" >&2
  return 2 2>/dev/null || exit 2
fi
export JAVA_HOME="$CONVLAB_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
