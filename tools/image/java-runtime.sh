#!/usr/bin/env bash
# The container image's Java runtime (decision 0024): a jlink image of the JDK that runs this build,
# written to <output>/opt/calling/java, which Jib adds to the image (the image profile of pom.xml).
# The image's AOT cache is trained on this very runtime; a cache fits only the JVM build that wrote
# it, so the image cannot use the base image's JRE. The image is linux/amd64, so the build's JDK
# must be a Linux x86-64 one.
# Usage: tools/image/java-runtime.sh <java.home> <output directory>
set -euo pipefail
java_home="$1"
output="$2"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "The image (linux/amd64) carries the build's own Java runtime and an AOT cache trained on it," >&2
  echo "so it must be built on Linux x86-64 (CI and the team machines are); this is $(uname -s)-$(uname -m)." >&2
  exit 1
fi
# the JRE's modules for a server: java.se, and what monitoring, diagnostics (jcmd, JFR) and the
# libraries reach for (sun.misc.Unsafe, zip file systems, DNS, PKCS#11, Kerberos)
modules=java.se,jdk.unsupported,jdk.zipfs,jdk.charsets,jdk.localedata,jdk.crypto.ec,jdk.crypto.cryptoki
modules=$modules,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.httpserver
modules=$modules,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.jfr,jdk.jcmd,jdk.attach,jdk.jdwp.agent
rm -rf "$output"
mkdir -p "$output/opt/calling"
# --generate-cds-archive: the JDK's default class data archive, as a JDK has it, so that a start
# without a usable AOT cache is no slower than on the base image's JRE
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$output/opt/calling/java"
echo "Image Java runtime: $("$output/opt/calling/java/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.runtime.version = //p') in $output/opt/calling/java ($(du -sm "$output/opt/calling/java" | cut -f1) MB)"
