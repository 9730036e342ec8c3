#!/usr/bin/env bash
# A fresh Maven project that depends on the installed convlab artifacts compiles and runs README's 15-line example
# ("Use as a library"; the code is examples/.../TrainCustomCnn.java, which ReadmeExampleTest keeps identical to it).
#
#   scripts/fresh-project-check.sh          (CI runs it after `mvn verify`, from scripts/test.sh)
#
# Nothing is written to the shared ~/.m2: `mvn install` of the parent pom, convlab-data-sample and convlab-core goes
# into a private local repository, target/fresh-project/m2, seeded with a copy of ~/.m2/repository (without
# dev/convlab, so no stale convlab artifact can be picked up; a copy rather than hard links, since Maven may
# rewrite a file in place). Then a new project outside the reactor (target/fresh-project/app, its own pom, the
# README's coordinates) is compiled and run against that repository, with README's JVM flag on the class path.
# Plugins the main build has not fetched (the install plugin) are downloaded into the private repository only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/java-env.sh"
WORK="$ROOT/target/fresh-project"
REPO="$WORK/m2"
APP="$WORK/app"
SRC_REPO="${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}"
VERSION=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -1)
rm -rf "$WORK"
mkdir -p "$REPO" "$APP/src/main/java/convlab/examples"

echo "fresh-project: seeding a private local repository from $SRC_REPO"
cp -a "$SRC_REPO/." "$REPO/"
rm -rf "$REPO/dev/convlab"

echo "fresh-project: mvn install of convlab $VERSION (parent, data-sample, core) into $REPO"
(cd "$ROOT" && mvn -q -B -ntp install -pl .,data-sample,core -Dmaven.test.skip=true -Dmaven.repo.local="$REPO")
for f in convlab-core-$VERSION.jar convlab-core-$VERSION-sources.jar convlab-core-$VERSION-javadoc.jar; do
  [ -s "$REPO/dev/convlab/convlab-core/$VERSION/$f" ] || { echo "fresh-project: $f was not installed" >&2; exit 1; }
done
for a in convlab-core convlab-data-sample; do
  printf 'fresh-project: %s-%s.jar %s bytes\n' "$a" "$VERSION" "$(stat -c %s "$REPO/dev/convlab/$a/$VERSION/$a-$VERSION.jar")"
done

cp "$ROOT/examples/src/main/java/convlab/examples/TrainCustomCnn.java" "$APP/src/main/java/convlab/examples/"
cat > "$APP/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>fresh-convlab-user</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>dev.convlab</groupId>
      <artifactId>convlab-core</artifactId>
      <version>$VERSION</version>
    </dependency>
    <dependency>
      <groupId>dev.convlab</groupId>
      <artifactId>convlab-data-sample</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
        <configuration>
          <release>25</release>
          <compilerArgs><arg>--add-modules</arg><arg>jdk.incubator.vector</arg></compilerArgs>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF

echo "fresh-project: compiling the README example in a new project"
(cd "$APP" && mvn -q -B -ntp compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmaven.repo.local="$REPO")
grep -q "convlab-core-$VERSION.jar" "$APP/cp.txt" || { echo "fresh-project: convlab-core is not on the class path: $(cat "$APP/cp.txt")" >&2; exit 1; }
grep -q "gson" "$APP/cp.txt" || { echo "fresh-project: convlab-core's dependency gson did not come along" >&2; exit 1; }

echo "fresh-project: running it (java --add-modules jdk.incubator.vector -cp ...)"
out=$(java --add-modules jdk.incubator.vector -cp "$APP/target/classes:$(cat "$APP/cp.txt")" convlab.examples.TrainCustomCnn 2>&1)
echo "$out"
echo "$out" | grep -Eq '^epoch 1: train loss [0-9.,]+, test accuracy [0-9.,]+%$' \
  || { echo "fresh-project: the example did not print its epoch line" >&2; exit 1; }
echo "fresh-project: OK"
