#!/usr/bin/env bash
# Sends one whole process (project_requested -> project_assigned -> project_created) for a fresh correlation_id to an
# EventBridge bus with `aws events put-events`, so a deployed Flight Controller measures it.
#
# Usage: send-process.sh [BUS_NAME] [--lead-minutes N] [--no-create | --no-assign] [--dry-run]
#   BUS_NAME         event bus (default: $EVENT_BUS_NAME, else "flight-controller"; "default" for the default bus)
#   --lead-minutes N minutes from project_requested to project_created (default 45). Event times are in the past,
#                    ending now; with a lead above the measure's SLO threshold (e.g. 90 with a 1 h threshold) the case
#                    is bad and a breach alert reaches the alert topic.
#   --no-create      send only requested and assigned: the case stays open and breaches at its deadline
#   --no-assign      send only requested: with the default measures the sequence waits for project_assigned and,
#                    one day later, raises a TIMEOUT alert whose missing_step is project_assigned
#   --dry-run        print the entries instead of sending them
# Environment: AWS_CLI (default: /usr/bin/aws if present, else aws), SOURCE (default flight-controller.projects),
#              the usual AWS_PROFILE / AWS_REGION.
set -euo pipefail

bus="${EVENT_BUS_NAME:-flight-controller}"
lead=45
create=1
assign=1
dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --lead-minutes) lead="$2"; shift 2 ;;
    --no-create) create=0; shift ;;
    --no-assign) assign=0; create=0; shift ;;
    --dry-run) dry=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) bus="$1"; shift ;;
  esac
done
case "$lead" in ''|*[!0-9]*) echo "--lead-minutes needs a whole number" >&2; exit 2 ;; esac

if [ -z "${AWS_CLI:-}" ]; then
  if [ -x /usr/bin/aws ]; then AWS_CLI=/usr/bin/aws; else AWS_CLI=aws; fi
fi
source_name="${SOURCE:-flight-controller.projects}"
cid="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-Z' 'a-z')"
now="$(date -u +%s)"
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
t_requested="$(iso $((now - lead * 60)))"
t_assigned="$(iso $((now - lead * 60 + lead * 60 / 3)))"
t_created="$(iso "$now")"

# One put-events entry; the detail is a JSON string with the fields the job parses.
entry() { # type time payload-json
  local detail="{\"correlation_id\":\"$cid\",\"event_type\":\"$1\",\"time\":\"$2\",\"payload\":$3}"
  detail="${detail//\\/\\\\}"
  detail="${detail//\"/\\\"}"
  printf '[{"EventBusName":"%s","Source":"%s","DetailType":"%s","Detail":"%s"}]' "$bus" "$source_name" "$1" "$detail"
}

send() {
  local json="$1"
  if [ "$dry" = 1 ]; then
    echo "$json"
    return
  fi
  local out
  out="$("$AWS_CLI" events put-events --entries "$json" --output json)"
  if echo "$out" | grep -q '"FailedEntryCount": *[1-9]'; then
    echo "put-events failed: $out" >&2
    exit 1
  fi
}

echo "correlation_id=$cid bus=$bus lead=${lead}min" >&2
send "$(entry project_requested "$t_requested" '{"project_name":"demo-'"${cid:0:8}"'","requested_by":"team-demo"}')"
if [ "$assign" = 1 ]; then
  send "$(entry project_assigned "$t_assigned" '{"project_name":"demo-'"${cid:0:8}"'","assignee":"platform-team"}')"
fi
if [ "$create" = 1 ]; then
  send "$(entry project_created "$t_created" '{"project_name":"demo-'"${cid:0:8}"'","repository":"demo-'"${cid:0:8}"'"}')"
fi
echo "sent; watch the dashboard or: aws timestream-query query --query-string \"SELECT * FROM ... WHERE correlation_id='$cid'\"" >&2
