#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests and the benchmark: initdb in a folder of its
# own, a free port on 127.0.0.1, the unix socket in that folder, run by a non-root user (the
# `postgres` system user of Debian's package when this runs as root).
#   scripts/pg-cluster.sh start DIR [--durable]   prints the connection URL (also in DIR/url)
#   scripts/pg-cluster.sh stop DIR                stops the server and removes DIR
# Without --durable the server runs with fsync off (tests: a crash loses the cluster, which is
# thrown away anyway); with it, PostgreSQL's defaults for durability (the benchmark).
# DIR must not exist yet or be empty, and the postgres user must be able to reach it (a folder
# from `mktemp -d` is fine). Authentication is `trust` for local connections: never use such a
# cluster for real data.
set -euo pipefail
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

usage() {
  echo "usage: $0 start DIR [--durable] | stop DIR" >&2
  exit 2
}
(($# >= 2)) || usage
command=$1
dir=$2

# Runs the server's tools as a non-root user: PostgreSQL refuses to run as root.
as_owner() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

# A TCP port nobody listens on now (the start retries with another one if it is taken meanwhile).
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 30000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

case "$command" in
  start)
    settings=(-c listen_addresses=127.0.0.1 -c max_connections=200)
    if [[ ${3:-} == --durable ]]; then
      settings+=(-c shared_buffers=512MB -c max_wal_size=8GB)
    elif [[ -z ${3:-} ]]; then
      settings+=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
    else
      usage
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ -z $(ls -A "$dir") ]] || { echo "$0: $dir is not empty" >&2; exit 1; }
    ((EUID != 0)) || chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for _ in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir ${settings[*]}" start >/dev/null; then
        url="postgresql://postgres@127.0.0.1:$port/postgres"
        echo "$url" >"$dir/url"
        echo "$url"
        exit 0
      fi
    done
    echo "$0: the server did not start; see $dir/server.log" >&2
    tail -5 "$dir/server.log" >&2 || true
    exit 1
    ;;
  stop)
    [[ -d $dir ]] || exit 0
    if [[ -f $dir/data/postmaster.pid ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
