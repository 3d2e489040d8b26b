#!/usr/bin/env bash
# Starts gnome-keyring's Secret Service in this D-Bus session with an unlocked
# login keyring (a fixed test password), then runs the given command.
set -euo pipefail
eval "$(printf 'tab-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export TAB_KEYRING=gnome-keyring
exec "$@"
