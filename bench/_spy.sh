#!/usr/bin/env bash
# cpu_split.sh — where the CPU of one service-request create goes under load (issue 17 §2): our gunicorn workers,
# the PostgreSQL backends serving them, and wrk, from /proc (CPU seconds, not wall: the machine's other load
# moves it little). Needs a database with demo data (default intake_bench, as ../shared/bench/intake-vs-peer
# leaves it) and wrk.
#
#   bench/cpu_split.sh [DB] [SECONDS] [CONCURRENCY]      # e.g. bench/cpu_split.sh intake_bench 15 16
#   DB_SERVER_SIDE_BINDING=true bench/cpu_split.sh …     # the same with server-side binding
set -euo pipefail
DB=${1:-intake_bench}; SECS=${2:-15}; C=${3:-16}; PORT=${PORT:-8899}
cd "$(dirname "$0")/.."
ENVV=(DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB DEBUG=false SECRET_KEY=cpu-split-secret-key-0123456789abcdefghijklmnopqrstuv
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false CELERY_BROKER_URL=redis://127.0.0.1:6379/11 VAR_DIR=/tmp/cpu-split-var)
read -r TOKEN CUSTOMERS < <(env "${ENVV[@]}" .venv/bin/python - <<'PY'
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesservice.settings"); django.setup()
from rest_framework.authtoken.models import Token
from salesservice.core.models import User
from salesservice.customers.models import Customer
u = User.objects.get(username="xuhui_cs")
ids = list(Customer.objects.visible_to(u).filter(is_active=True).values_list("pk", flat=True)[:50])
print(Token.objects.get_or_create(user=u)[0].key, ",".join(map(str, ids)))
PY
)
LUA=$(mktemp --suffix .lua)
cat >"$LUA" <<LUAEOF
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Token $TOKEN"}
local customers = {}
for id in string.gmatch("$CUSTOMERS", "%d+") do table.insert(customers, id) end
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"customer":%s,"channel":"hotline","category":"repair","description":"空调不制冷，外机异响，客户要求上门检修。"}', customers[(n % #customers) + 1])
  return wrk.format("POST", nil, headers, body)
end
LUAEOF
env "${ENVV[@]}" .venv/bin/gunicorn -w 2 -b 127.0.0.1:$PORT --no-control-socket salesservice.wsgi >/tmp/cpu-split-gunicorn.log 2>&1 &
GPID=$!
trap 'kill $GPID 2>/dev/null; rm -f "$LUA"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
wrk -t1 -c"$C" -d3s -s "$LUA" http://127.0.0.1:$PORT/api/v1/service-requests/ >/dev/null  # warm-up
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sum() { local t=0; for p in "$@"; do t=$((t + $(ticks "$p"))); done; echo $t; }
WORKERS=$(pgrep -P $GPID | tr '\n' ' ')
BACKENDS=$(psql -h 127.0.0.1 -U postgres -Atc "select pid from pg_stat_activity where datname='$DB' and pid <> pg_backend_pid()" | tr '\n' ' ')
W0=$(sum $WORKERS); B0=$(sum $BACKENDS)
( for w in $WORKERS; do /tmp/tools/bin/py-spy record -r 250 -d 14 -f raw -o /tmp/spy-$w.txt -p $w >/dev/null 2>&1 & done; wait ) &
OUT=$( { /usr/bin/time -f "wrk_cpu %U %S" wrk -t1 -c"$C" -d"${SECS}s" -s "$LUA" http://127.0.0.1:$PORT/api/v1/service-requests/; } 2>&1 ); wait
W1=$(sum $WORKERS); B1=$(sum $BACKENDS)
echo "$OUT" | grep -q "Non-2xx" && { echo "non-2xx answers: $(echo "$OUT" | grep Non-2xx)"; exit 2; }
N=$(echo "$OUT" | awk '/requests in/ {print $1}'); HZ=$(getconf CLK_TCK)
WRK=$(echo "$OUT" | awk '/wrk_cpu/ {print $2 + $3}')
echo "$OUT" | grep -E "Requests/sec"
python3 - "$N" "$W0" "$W1" "$B0" "$B1" "$HZ" "$WRK" <<'PY'
import sys
n, w0, w1, b0, b1, hz, wrk = int(sys.argv[1]), *map(int, sys.argv[2:7]), float(sys.argv[7])
w, b = (w1 - w0) / hz * 1000 / n, (b1 - b0) / hz * 1000 / n
print(f"{n} creates: CPU ms per create — gunicorn workers {w:.2f}, PostgreSQL backends {b:.2f}, wrk {wrk * 1000 / n:.2f}")
PY
