/**
 * The shell script the SSM document runs on a Redis server (Linux). Read-only on the server: it
 * runs `redis-server --version` and `redis-cli -p <port> INFO server` / `INFO cluster` against each
 * configured port, checks whether a Sentinel process runs, and records one Custom:RedisServer row
 * per port with PutInventory (AWS CLI and the instance profile of SSM-managed instances). Without
 * the AWS CLI it writes the same rows as an SSM custom inventory file, which the agent uploads
 * with its next AWS-GatherSoftwareInventory run. A port that does not answer INFO (not listening,
 * AUTH required) gets a row without redis_version and with info_error: the scanner then reports
 * UNKNOWN, never a guess.
 */
export const REDIS_INVENTORY_TYPE = 'Custom:RedisServer';

/** `{{ Ports }}` is the document parameter: space- or comma-separated TCP ports. */
export const REDIS_INVENTORY_SCRIPT: readonly string[] = [
  '#!/bin/bash',
  'set -u',
  "PORTS=$(echo '{{ Ports }}' | tr ',' ' ')",
  'json_escape() { printf \'%s\' "$1" | sed -e \'s/\\\\/\\\\\\\\/g\' -e \'s/"/\\\\"/g\' | tr -d \'\\000-\\037\'; }',
  'info_field() { printf \'%s\\n\' "$1" | tr -d \'\\r\' | awk -F: -v k="$2" \'$1 == k { print $2; exit }\'; }',
  'REDIS_SERVER=$(command -v redis-server || ls /usr/local/bin/redis-server /usr/bin/redis-server /opt/redis/bin/redis-server 2>/dev/null | head -n 1)',
  'REDIS_CLI=$(command -v redis-cli || ls /usr/local/bin/redis-cli /usr/bin/redis-cli /opt/redis/bin/redis-cli 2>/dev/null | head -n 1)',
  'BINARY_VERSION=""',
  'if [ -n "$REDIS_SERVER" ]; then BINARY_VERSION=$(timeout 10 "$REDIS_SERVER" --version 2>/dev/null | sed -n \'s/.*v=\\([^ ]*\\).*/\\1/p\'); fi',
  'SENTINEL_RUNNING=0',
  "if pgrep -x redis-sentinel >/dev/null 2>&1 || pgrep -f 'redis-server.*\\[sentinel\\]' >/dev/null 2>&1; then SENTINEL_RUNNING=1; fi",
  'ROWS=""',
  'for PORT in $PORTS; do',
  '  case "$PORT" in (*[!0-9]*|"") echo "skipping invalid port $PORT"; continue;; esac',
  '  VERSION=""; MODE=""; CLUSTER=""; ERROR=""',
  '  if [ -z "$REDIS_CLI" ]; then ERROR="redis-cli not found"',
  '  else',
  '    SERVER_INFO=$(timeout 10 "$REDIS_CLI" --no-auth-warning -p "$PORT" INFO server 2>&1)',
  '    if printf \'%s\' "$SERVER_INFO" | grep -q \'^redis_version:\'; then',
  '      VERSION=$(info_field "$SERVER_INFO" redis_version); MODE=$(info_field "$SERVER_INFO" redis_mode)',
  '      CLUSTER_INFO=$(timeout 10 "$REDIS_CLI" --no-auth-warning -p "$PORT" INFO cluster 2>&1)',
  '      CLUSTER=$(info_field "$CLUSTER_INFO" cluster_enabled)',
  '    else ERROR=$(printf \'%s\' "$SERVER_INFO" | head -n 1 | cut -c1-200); [ -z "$ERROR" ] && ERROR="no answer"; fi',
  '  fi',
  '  ROW="{\\"port\\":\\"$PORT\\",\\"binary_version\\":\\"$(json_escape "$BINARY_VERSION")\\",\\"sentinel_running\\":\\"$SENTINEL_RUNNING\\""',
  '  [ -n "$VERSION" ] && ROW="$ROW,\\"redis_version\\":\\"$(json_escape "$VERSION")\\""',
  '  [ -n "$MODE" ] && ROW="$ROW,\\"redis_mode\\":\\"$(json_escape "$MODE")\\""',
  '  [ -n "$CLUSTER" ] && ROW="$ROW,\\"cluster_enabled\\":\\"$(json_escape "$CLUSTER")\\""',
  '  [ -n "$ERROR" ] && ROW="$ROW,\\"info_error\\":\\"$(json_escape "$ERROR")\\""',
  '  ROWS="${ROWS:+$ROWS,}$ROW}"',
  'done',
  'CAPTURE_TIME=$(date -u +%Y-%m-%dT%H:%M:%SZ)',
  `ITEM="{\\"TypeName\\":\\"${REDIS_INVENTORY_TYPE}\\",\\"SchemaVersion\\":\\"1.0\\",\\"CaptureTime\\":\\"$CAPTURE_TIME\\",\\"Content\\":[$ROWS]}"`,
  'IMDS=${IMDS_ENDPOINT:-http://169.254.169.254}',
  'TOKEN=$(curl -sS -m 5 -X PUT "$IMDS/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300" 2>/dev/null)',
  'INSTANCE_ID=$(curl -sS -m 5 -H "X-aws-ec2-metadata-token: $TOKEN" "$IMDS/latest/meta-data/instance-id" 2>/dev/null)',
  'REGION=$(curl -sS -m 5 -H "X-aws-ec2-metadata-token: $TOKEN" "$IMDS/latest/meta-data/placement/region" 2>/dev/null)',
  'if command -v aws >/dev/null 2>&1 && [ -n "$INSTANCE_ID" ] && [ -n "$REGION" ]; then',
  '  aws ssm put-inventory --region "$REGION" --instance-id "$INSTANCE_ID" --items "[$ITEM]" && echo "recorded $ITEM" && exit 0',
  '  echo "put-inventory failed; writing the custom inventory file instead" >&2',
  'fi',
  'DIR=${CUSTOM_INVENTORY_DIR:-/var/lib/amazon/ssm/${INSTANCE_ID:-unknown}/inventory/custom}',
  'mkdir -p "$DIR" && printf \'%s\' "$ITEM" > "$DIR/RedisServer.json" && echo "wrote $DIR/RedisServer.json: $ITEM"',
];
