#!/bin/sh
# Makes the aiogram peer's virtualenv in .build/peer-aiogram-venv (ignored by git) and installs
# requirements.txt into it; gongbu-bench runs this before the peer scenario. Once installed
# (a stamp holds the requirements it installed) it only checks that the imports work.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build/peer-aiogram-venv"
requirements="$root/bench/peer-aiogram/requirements.txt"
stamp="$venv/.installed-requirements"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! cmp -s "$requirements" "$stamp" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
"$venv/bin/python" -c "import aiogram, yaml; print('aiogram', aiogram.__version__)"
