#!/usr/bin/env bash
# Creates bench/peers/.venv and installs the pinned peer-benchmark dependencies (SciPy for the
# flight peer; Stone Soup and FilterPy for the tracking-filter peers).
# Needs only python3 (3.11+) and access to PyPI. Safe to run again: an existing, working venv is
# reused and pip leaves already-satisfied pins alone.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
REQ="$HERE/requirements.txt"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "setup.sh: $PYTHON not found" >&2
    exit 1
fi

venv_ok() {
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

if ! venv_ok; then
    rm -rf "$VENV"
    # Normal path: the standard library's venv with ensurepip. Some distributions (Debian's
    # python3 without python3-venv) lack ensurepip; then fall back to virtualenv from PyPI,
    # installed into a throw-away --target folder so the system Python is not touched.
    if [ -z "${BULWARK_PEERS_FORCE_VIRTUALENV:-}" ] && "$PYTHON" -m venv "$VENV" 2>/dev/null && venv_ok; then
        :
    else
        rm -rf "$VENV"
        echo "setup.sh: 'python3 -m venv' unavailable, using virtualenv from PyPI" >&2
        TMP="$(mktemp -d)"
        trap 'rm -rf "$TMP"' EXIT
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --target "$TMP" virtualenv
        PYTHONPATH="$TMP" "$PYTHON" -m virtualenv --quiet "$VENV"
    fi
fi

"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
"$VENV/bin/python" -c 'import sys, numpy, scipy, stonesoup, filterpy; print("peers venv ready: Python %s, numpy %s, scipy %s, stonesoup %s, filterpy %s" % (sys.version.split()[0], numpy.__version__, scipy.__version__, stonesoup.__version__, filterpy.__version__))'
