#!/usr/bin/env bash
# The programs the real-Redis tests (test/redis/) start and check with: redis-server, redis-cli,
# redis-sentinel, shellcheck, openssl, curl, and gcc (test/redis/probe-hostile.test.ts compiles an
# impostor binary), from Debian's packages. Installed only when one is
# missing, so a machine that has them skips apt entirely. Run by `npm test` (and so by .ci/run).
# The tests start their own processes from their own config files on 127.0.0.x; the packages'
# own services are not used.
set -euo pipefail
missing=''
for command in redis-server redis-cli redis-sentinel shellcheck openssl curl gcc; do
  command -v "$command" >/dev/null 2>&1 || missing="$missing $command"
done
[ -z "$missing" ] && exit 0
echo "test prerequisites missing:$missing; installing Debian packages redis-server redis-tools redis-sentinel shellcheck openssl curl gcc libc6-dev" >&2
if [ "$EUID" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "cannot install them: run as root, or install redis-server redis-tools redis-sentinel shellcheck openssl curl gcc libc6-dev yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends redis-server redis-tools redis-sentinel shellcheck openssl curl gcc libc6-dev
# The package may start its own redis-server on 6379 where an init system runs: stop it, so the
# machine runs only what the tests start.
if command -v service >/dev/null 2>&1; then
  "${as_root[@]}" service redis-server stop >/dev/null 2>&1 || true
  "${as_root[@]}" service redis-sentinel stop >/dev/null 2>&1 || true
fi
