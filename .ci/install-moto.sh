#!/usr/bin/env bash
# Installs moto server (SNS, SQS, Timestream write emulator) for the integration tests. Idempotent.
#
# Debian 12 (bookworm) has no python3-moto, so the pinned Debian 13 (trixie) packages below are downloaded with a private
# apt configuration (this machine's apt sources are not changed), unpacked with `dpkg -x` into .ci/cache/moto and run with
# bookworm's /usr/bin/python3 and bookworm's Python libraries (installed with apt-get). A stub `openapi_spec_validator`
# module replaces a dependency moto only needs for API Gateway.
#
# Result: .ci/cache/moto/pythonpath (one line, the PYTHONPATH to use). Start the server with
#   PYTHONPATH=$(cat .ci/cache/moto/pythonpath) /usr/bin/python3 -m moto.server -H 127.0.0.1 -p PORT
# The tests (io.flightcontroller.testing.MotoServer) do this themselves on a free port.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.ci/cache/moto"
# Pinned versions (trixie main).
MOTO_VERSION="5.1.1-4"
JSONPATH_VERSION="1.7.0-1"
JOSERFC_VERSION="1.1.0-1"
STAMP="$CACHE/.installed-$MOTO_VERSION-$JSONPATH_VERSION-$JOSERFC_VERSION"

BOOKWORM_PKGS="python3-flask python3-werkzeug python3-responses python3-xmltodict python3-jinja2 python3-cryptography
  python3-yaml python3-dateutil python3-requests python3-boto3 python3-botocore python3-ply python3-tz python3-flask-cors"

need_apt=0
for p in $BOOKWORM_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt=1
done
if [ "$need_apt" = 1 ]; then
  echo "install-moto: installing bookworm Python packages"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -q --no-install-recommends $BOOKWORM_PKGS
fi

if [ ! -f "$STAMP" ]; then
  echo "install-moto: downloading moto $MOTO_VERSION from Debian trixie"
  APT="$CACHE/apt"
  mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$CACHE/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    > "$APT/sources.list"
  OPTS=(-o "Dir::Etc::SourceList=$APT/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache" -o "Dir::State::status=/dev/null"
        -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
  apt-get "${OPTS[@]}" update -q
  (cd "$CACHE/debs" && apt-get "${OPTS[@]}" download \
      "python3-moto=$MOTO_VERSION" "python3-jsonpath-ng=$JSONPATH_VERSION" "python3-joserfc=$JOSERFC_VERSION")
  rm -rf "$CACHE/root"
  for deb in "$CACHE"/debs/*.deb; do dpkg -x "$deb" "$CACHE/root"; done
  mkdir -p "$CACHE/stub/openapi_spec_validator"
  cat > "$CACHE/stub/openapi_spec_validator/__init__.py" <<'PY'
"""Stub: moto imports this only for API Gateway OpenAPI imports, which the tests do not use."""
def validate(*args, **kwargs):
    return None
validate_spec = validate
PY
  echo "$CACHE/root/usr/lib/python3/dist-packages:$CACHE/stub" > "$CACHE/pythonpath"
  rm -f "$CACHE"/.installed-*
  touch "$STAMP"
fi

# Smoke check: the module imports with bookworm's Python.
PYTHONPATH="$(cat "$CACHE/pythonpath")" /usr/bin/python3 -c "import moto.server, moto; print('install-moto: moto', moto.__version__, 'ready')"
