#!/usr/bin/env bash
# The dashboard's area aggregates at national scale, on PostgreSQL: 30,000 carriers and
# 1,000,000 units (1,100,000 ledger rows over ten years: each carrier's units arrive in four
# phases, one in ten is resized later, on one of ten days), then the city's area on one day read
# three ways, each timed over repeated runs in the same session:
#   baseline  - the unit ledger summed (how district and city totals were read before [6/6]);
#   city      - the per-carrier daily roll-up summed (what `spaces::totals` reads now);
#   carriers  - the roll-up grouped per carrier and bucket (what the dashboard reads per request).
# Usage: bench/aggregates.sh [postgres-url-of-a-server]   (needs target/debug/fuhua built)
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER=${1:-postgres://postgres@127.0.0.1:5432}
DB=fuhua_bench
RUNS=${RUNS:-10}
psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
DATABASE_URL="$SERVER/$DB" FUHUA_LOG=warn target/debug/fuhua migrate
psql "$SERVER/$DB" -q -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO districts (code, name_zh, name_en, kind, sort_order, created_at)
SELECT 'B' || i, '区' || i, 'District ' || i, 'district', i, now() FROM generate_series(1, 15) i;
INSERT INTO carriers (name, kind, level, district_id, operator_org, operating_model, address, opened_on,
                      contact_name, contact_phone, archived, created_at, updated_at)
SELECT '载体' || i, 'incubator', 'none', (SELECT min(id) FROM districts) + i % 15, '运营方', 'landlord', '地址',
       DATE '2015-01-01', '联系人', '13800000000', i % 50 = 0, now(), now()
FROM generate_series(1, 30000) i;
-- Unit u belongs to carrier u % 30000 and arrives in phase (u / 30000) % 4 of that carrier's
-- opening; one unit in ten is resized on one of ten later days.
INSERT INTO area_ledger (unit_id, floor_id, building_id, site_id, carrier_id, effective_on, bucket,
                         delta_gross, delta_usable, delta_desks, delta_units, delta_list_rent)
SELECT u, u / 30, u / 300, u / 3000, (SELECT min(id) FROM carriers) + u % 30000,
       DATE '2016-01-01' + ((u % 30000) % 1500 + ((u / 30000) % 4) * 300)::int,
       CASE WHEN u % 5 = 0 THEN 'public_service' ELSE 'tenant' END,
       10000 + u % 5000, 9000 + u % 4000, u % 3, 1, 50000
FROM generate_series(1::bigint, 1000000::bigint) u;
INSERT INTO area_ledger (unit_id, floor_id, building_id, site_id, carrier_id, effective_on, bucket,
                         delta_gross, delta_usable, delta_desks, delta_units, delta_list_rent)
SELECT unit_id, floor_id, building_id, site_id, carrier_id, DATE '2021-01-01' + (((unit_id / 10) % 10) * 150)::int, bucket,
       1500, 1200, 0, 0, 0
FROM area_ledger WHERE unit_id % 10 = 0;
INSERT INTO carrier_area_days (carrier_id, effective_on, bucket, delta_gross, delta_usable, delta_desks,
                               delta_units, delta_list_rent)
SELECT carrier_id, effective_on, bucket, SUM(delta_gross), SUM(delta_usable), SUM(delta_desks), SUM(delta_units),
       SUM(delta_list_rent)
FROM area_ledger GROUP BY carrier_id, effective_on, bucket;
ANALYZE;
SQL
psql "$SERVER/$DB" -Atc "SELECT 'rows: ledger ' || (SELECT count(*) FROM area_ledger) || ', roll-up ' || (SELECT count(*) FROM carrier_area_days)"
time_query() {
  local name=$1 sql=$2
  psql "$SERVER/$DB" -Atq <<SQL
CREATE OR REPLACE FUNCTION pg_temp.bench() RETURNS numeric LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; best numeric := 1e9; ms numeric;
BEGIN
  PERFORM count(*) FROM ($sql) q;  -- warm the cache
  FOR i IN 1..$RUNS LOOP
    t0 := clock_timestamp();
    PERFORM count(*) FROM ($sql) q;
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    best := least(best, ms);
  END LOOP;
  RETURN round(best, 2);
END \$\$;
SELECT '$name: best of $RUNS ' || pg_temp.bench() || ' ms';
SQL
}
ON="DATE '2025-06-30'"
REG="carrier_id IN (SELECT id FROM carriers WHERE NOT archived)"
time_query baseline "SELECT bucket, SUM(delta_gross), SUM(delta_usable) FROM area_ledger WHERE effective_on <= $ON GROUP BY bucket"
time_query city "SELECT bucket, SUM(delta_gross), SUM(delta_usable) FROM carrier_area_days WHERE $REG AND effective_on <= $ON GROUP BY bucket"
time_query carriers "SELECT carrier_id, bucket, SUM(delta_gross), SUM(delta_usable) FROM carrier_area_days WHERE $REG AND effective_on <= $ON GROUP BY carrier_id, bucket"
psql "$SERVER/postgres" -qc "DROP DATABASE $DB"
