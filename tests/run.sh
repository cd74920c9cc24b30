#!/usr/bin/env bash
# Runs Sweep's whole test suite. Installs what a fresh Debian machine lacks (the Redis and
# Prometheus binaries the real-component tests start privately on loopback), then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  echo "tests/run.sh: installing ${need[*]} (Debian packages) for the real-component tests"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The packages start system services on their default ports; the tests start private instances instead.
  for svc in redis-server prometheus; do
    (command -v service >/dev/null 2>&1 && $sudo_cmd service "$svc" stop >/dev/null 2>&1) || true
    pkill -x "$svc" 2>/dev/null || true
  done
fi

# A hung test fails its run after 10 minutes (the blame collector names it and writes a dump under
# the project's TestResults/) instead of holding the whole run.
dotnet test Sweep.sln --configuration Release --blame-hang-timeout 10m --blame-hang-dump-type mini "$@"
