# Sourced by bench/run and bench/load: a throwaway PostgreSQL 15 cluster on 127.0.0.1, unless
# DATABASE_URL is already set (then that database is used as it is and nothing is started).
# Sets DATABASE_URL and registers bench_cleanup, which stops the cluster and removes its files.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_PG_PORT=${BENCH_PG_PORT:-54339}
BENCH_WORK=""
bench_started_pg=0

bench_cleanup() {
  set +e
  if [ -n "${BENCH_EXTRA_CLEANUP:-}" ]; then eval "$BENCH_EXTRA_CLEANUP"; fi
  if [ "$bench_started_pg" = 1 ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$BENCH_WORK/pg" -m fast stop >/dev/null 2>&1
  fi
  if [ -n "$BENCH_WORK" ]; then rm -rf "$BENCH_WORK"; fi
}

bench_start_pg() {
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "Using DATABASE_URL as it is (nothing started)."
    return
  fi
  BENCH_WORK=$(mktemp -d /tmp/branchdesk-bench.XXXXXX)
  trap bench_cleanup EXIT
  mkdir -p "$BENCH_WORK/pg" "$BENCH_WORK/pgsock"
  chown postgres "$BENCH_WORK" "$BENCH_WORK/pg" "$BENCH_WORK/pgsock"
  chmod 700 "$BENCH_WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$BENCH_WORK/pg" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  # Durability off (a throwaway cluster); memory sized for a 2-core, few-GB machine.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$BENCH_WORK/pg" -l "$BENCH_WORK/pg.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $BENCH_PG_PORT -k $BENCH_WORK/pgsock -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB \
     -c maintenance_work_mem=256MB -c work_mem=16MB -c max_wal_size=4GB \
     -c checkpoint_timeout=30min" start >/dev/null
  bench_started_pg=1
  psql -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -qc \
    "CREATE ROLE branchdesk LOGIN PASSWORD 'branchdesk' CREATEDB"
  psql -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -qc "CREATE DATABASE branchdesk OWNER branchdesk"
  export DATABASE_URL="postgres://branchdesk:branchdesk@127.0.0.1:$BENCH_PG_PORT/branchdesk"
  echo "PostgreSQL started on 127.0.0.1:$BENCH_PG_PORT ($BENCH_WORK)"
}
