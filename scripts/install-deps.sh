#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine of this kind:
# a Java 25 JDK (if none is found), the Fashion-MNIST data set (Debian package dataset-fashion-mnist),
# fonts for the charts of the experiment reports, node/npm (the web module's build bundles its front end) and
# Chromium (the web workbench's browser tests drive Debian's chromium; no browser is downloaded).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
if ! (source "$ROOT/scripts/java-env.sh") >/dev/null 2>&1; then
  # Machines of this kind carry Temurin 25 under /usr/lib/jvm; Debian 12 itself packages no JDK 25.
  if apt-cache show openjdk-25-jdk-headless >/dev/null 2>&1; then need+=(openjdk-25-jdk-headless)
  else echo "install-deps: no Java 25 JDK found and none in the package sources; set JAVA_HOME to a JDK 25" >&2; exit 2; fi
fi
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
command -v mvn >/dev/null || need+=(maven)
# The experiment reports draw text into PNG charts off-screen: Java2D needs fontconfig and at least one font.
command -v fc-list >/dev/null || need+=(fontconfig)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
# (bench/compare.py wants PyTorch on OpenBLAS, not Debian's reference BLAS: that is a benchmark set-up, not a test
# need, so it is not installed here; see bench/compare.py --torch-lib and docs/DEVELOPING.md.)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi
