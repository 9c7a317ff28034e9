#!/usr/bin/env bash
# Times the upload of a 10,000-row contact CSV (3% invalid, 5% duplicate rows) through the running
# server, 5 runs (a fresh user each), and prints the median beside PostgreSQL's raw durable insert
# rate measured in the same run (../../shared/bench/pg-insert-baseline.sh), as a ratio.
# Usage: bench/contact-upload.sh [base-url=http://localhost:8080]
# Start the server first, e.g. against the local PostgreSQL:
#   SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/calling_bench DATABASE_CREATE_IF_MISSING=true \
#     JWT_SECRET=$(openssl rand -base64 48) ./mvnw spring-boot:run
set -euo pipefail
BASE="${1:-http://localhost:8080}"
HERE="$(cd "$(dirname "$0")" && pwd)"
CSV=$(mktemp --suffix=.csv)
trap 'rm -f "$CSV"' EXIT

python3 - "$CSV" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("name,phone_number,email\n")
    for i in range(10000):
        if i % 100 < 3:
            f.write(f"Bad {i},not-a-number,\n")
        elif i % 100 >= 95:
            f.write(f"Dup {i},+1415{2000000 + i - 10:07d},\n")
        else:
            f.write(f"Name {i},+1415{2000000 + i:07d},n{i}@example.com\n")
PY

times=()
for run in 1 2 3 4 5; do
  email="bench-$(date +%s%N)@example.test"
  token=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"Correct-Horse-42\",\"name\":\"Bench\"}" \
    "$BASE/api/auth/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  out=$(curl -sf -o /tmp/upload-result.json -w '%{time_total}' -H "Authorization: Bearer $token" \
    -F "file=@$CSV;type=text/csv" "$BASE/api/contacts/upload")
  created=$(python3 -c 'import json; r=json.load(open("/tmp/upload-result.json")); print(r["created"], r["skipped"], len(r["invalid"]))')
  echo "run $run: ${out}s (created skipped invalid: $created)"
  times+=("$out")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
baseline=$(bash "$HERE/../../shared/bench/pg-insert-baseline.sh" 10 | sed -n 's/baseline_tps=//p')
python3 - "$median" "$baseline" <<'PY'
import sys
median, baseline = float(sys.argv[1]), float(sys.argv[2])
rows_per_s = 10000 / median
print(f"upload_10k_median_s={median:.3f}")
print(f"upload_rows_per_s={rows_per_s:.0f}")
print(f"baseline_tps={baseline:.0f}")
print(f"ratio_rows_per_s_to_baseline_tps={rows_per_s / baseline:.2f}")
PY
