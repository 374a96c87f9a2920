#!/bin/sh
# The DAG of etl-dag.yaml through the HTTP API with curl: one POST /v1/jobs per job, parents first
# (the API refuses a parent it does not know yet). POST /v1/jobs creates or replaces (201 / 200).
#
#   ORRERY_URL=http://127.0.0.1:5050 sh examples/jobs/etl-dag.sh
#   ORRERY_TOKEN=…  adds "Authorization: Bearer …" (needed when the server has tokens)
set -eu
URL="${ORRERY_URL:-http://127.0.0.1:5050}"

post_job() {
  if [ -n "${ORRERY_TOKEN:-}" ]; then
    curl -sS --fail-with-body -XPOST "$URL/v1/jobs" -H 'content-type: application/json' \
         -H "authorization: Bearer $ORRERY_TOKEN" -d "$1" -o /dev/null -w "%{http_code} "
  else
    curl -sS --fail-with-body -XPOST "$URL/v1/jobs" -H 'content-type: application/json' \
         -d "$1" -o /dev/null -w "%{http_code} "
  fi
  echo "$1" | sed -n 's/.*"name": *"\([^"]*\)".*/\1/p'
}

post_job '{"name":"extract","command":"echo \"extracting\"; seq 1 1000 > orders.csv; wc -l < orders.csv",
           "schedule":"30 2 * * *","timeZone":"Europe/Berlin","cpus":0.1,"mem":32,"retries":2,
           "backoff":{"initialMs":30000,"factor":2,"maxMs":300000},"timeoutMs":600000,
           "concurrencyPolicy":"forbid","missedRunPolicy":"once"}'
post_job '{"name":"transform-a","command":"echo \"transform A\"; sleep 1","parents":["extract"],"cpus":0.1,"mem":32}'
post_job '{"name":"transform-b","command":"echo \"transform B\"; sleep 1","parents":["extract"],"cpus":0.1,"mem":32}'
post_job '{"name":"load","command":"echo \"loading into the warehouse\"","parents":["transform-a","transform-b"],
           "cpus":0.1,"mem":32,"env":{"TARGET":"warehouse"}}'
