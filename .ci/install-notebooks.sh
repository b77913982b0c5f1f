#!/usr/bin/env bash
# Installs what the notebooks, `flight-controller report` and the notebook tests need: Debian's Jupyter and Python
# packages (no other Python package index is used). Idempotent.
#
# Result: /usr/bin/jupyter (nbconvert) with a python3 kernel on /usr/bin/python3 that has pandas, matplotlib, yaml
# and psycopg2 (FC_DB as a PostgreSQL URL). The python3 first on the PATH may be another one (e.g. pyenv) without
# these packages: the tests and the report use /usr/bin/jupyter.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
PACKAGES="jupyter-nbconvert python3-nbformat python3-ipykernel python3-pandas python3-matplotlib python3-yaml python3-psycopg2"

if [ -x /usr/bin/jupyter ] && /usr/bin/python3 -c 'import nbformat, nbconvert, ipykernel, pandas, matplotlib, yaml, psycopg2' 2>/dev/null; then
  echo "install-notebooks: Debian's jupyter and Python packages already installed"
  exit 0
fi
echo "install-notebooks: apt-get install $PACKAGES"
as_root apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $PACKAGES >/dev/null
/usr/bin/python3 -c 'import nbformat, nbconvert, ipykernel, pandas, matplotlib, yaml, psycopg2'
echo "install-notebooks: $(/usr/bin/jupyter nbconvert --version | head -1) ready at /usr/bin/jupyter"
