#!/bin/sh
# redis-compliance Redis probe (docs/redis-probe.md has the row shapes and the reasons).
#
# Asks every running redis-server / redis-sentinel process on this machine what it is and writes
# three SSM custom inventory files: RedisServer.json (Custom:RedisServer, one row per process),
# RedisClusterNode.json (Custom:RedisClusterNode, one row per node as each process sees the
# cluster) and RedisAclUser.json (Custom:RedisAclUser, one row per ACL user of each process). The SSM agent's software inventory step uploads every *.json file of
# /var/lib/amazon/ssm/<instance-id>/inventory/custom (amazon-ssm-agent,
# agent/plugins/inventory/gatherers/custom/customGatherer.go). Read-only on Redis: PING, INFO,
# CLUSTER INFO / MYID / NODES, CONFIG GET (protected-mode, tls-port, enable-*-command,
# enable-protected-configs), ACL USERS / GETUSER (flags and command rules only) / DRYRUN (checks a
# permission without running the command). Records no password, password hash, key or value.
#
# Runs as root next to processes that may be hostile (docs/redis-probe.md, *Threat model*): it never
# executes a file a process points at, runs tools only from root-owned system folders, sends a
# password only to the process it belongs to, and writes only into a folder only root can change.
#
# Runs with what Amazon Linux 2023, Ubuntu 22.04/24.04 and RHEL 9 ship (sh, awk, sed, tr, grep,
# stat, timeout, mktemp, readlink from /usr/bin and /bin; curl only when the instance id must come
# from IMDS; the AWS CLI only for the optional password parameter; dpkg-query or rpm for the
# version of a binary that does not answer) plus redis-cli. Run by hand:
#   sudo CUSTOM_INVENTORY_DIR=/root/redis-probe sh redis-probe.sh
# Environment overrides (set by root, who runs the probe):
#   AWS_SSM_INSTANCE_ID   instance id (the agent sets it); else IMDSv2. Checked as i-/mi- + hex.
#   CUSTOM_INVENTORY_DIR  where the files go (default /var/lib/amazon/ssm/<instance-id>/inventory/custom)
#   REDIS_PORTS           extra ports expected to serve Redis (comma or space separated)
#   REDIS_CONFIG_DIRS     extra folders holding Redis config files (*.conf)
#   REDIS_PASSWORD_PARAMETER  SecureString SSM parameter with the password, when the config has none
#   REDIS_PIDS            probe only these process ids (space separated; set and empty: none)
#   IMDS_ENDPOINT, SSM_AGENT_DATA_DIR, REDIS_CLI_TIMEOUT  for tests
#   REDIS_PROBE_TOOL_DIRS, REDIS_PROBE_UNIT_DIRS  for tests: the folders searched for redis-cli, aws,
#     curl, dpkg-query, rpm, redis-server, and for systemd unit files, instead of the system ones.
#     Each folder named is checked like the system ones (owned by root, writable by no one else), so
#     they cannot make the probe run or read anything a non-root user controls.
set -u
# No pathname expansion of values (a `bind *` stays `*`); the few globs meant as such enable it.
set -f
umask 077
LC_ALL=C
export LC_ALL
# The caller's PATH is not used: basic tools come from the system folders, everything else through
# trusted_tool below.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
TOOL_DIRS=${REDIS_PROBE_TOOL_DIRS:-/usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin /opt/redis/bin /usr/local/redis/bin}
UNIT_DIRS=${REDIS_PROBE_UNIT_DIRS:-/etc/systemd/system /run/systemd/system /lib/systemd/system /usr/lib/systemd/system}

# Document parameters: SSM Run Command replaces the placeholders below; run by hand they stay as
# written and are ignored. Their values are checked by the document's allowedPattern.
DOC_PORTS='{{ Ports }}'
DOC_CONFIG_DIRS='{{ ConfigDirs }}'
DOC_PASSWORD_PARAMETER='{{ PasswordParameter }}'
case $DOC_PORTS in *'{'*) DOC_PORTS='' ;; esac
case $DOC_CONFIG_DIRS in *'{'*) DOC_CONFIG_DIRS='' ;; esac
case $DOC_PASSWORD_PARAMETER in *'{'*) DOC_PASSWORD_PARAMETER='' ;; esac

PORTS=$(printf '%s %s' "${REDIS_PORTS:-}" "$DOC_PORTS" | tr ',' ' ')
CONFIG_DIRS="${REDIS_CONFIG_DIRS:-} $DOC_CONFIG_DIRS"
PASSWORD_PARAMETER=${REDIS_PASSWORD_PARAMETER:-$DOC_PASSWORD_PARAMETER}
CLI_TIMEOUT=${REDIS_CLI_TIMEOUT:-5}
NL='
'
CR=$(printf '\r')

say() { printf '%s\n' "$*"; }
fail() { printf 'redis-probe: %s\n' "$*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# What the probe trusts: files and folders only root can change. A folder is trusted when it and
# every folder above it is owned by root and not writable by group or others (a folder above it
# may be world-writable with the sticky bit, like /tmp: others cannot rename or remove root's
# entries there), and every symlink on the way is root's; checked on the path as written and on
# the path it resolves to.

# True when an octal mode (stat %a) lets group or others write.
others_can_write() {
  ocw_o=${1#"${1%?}"}
  ocw_rest=${1%?}
  ocw_g=${ocw_rest#"${ocw_rest%?}"}
  case $ocw_g$ocw_o in *[2367]*) return 0 ;; esac
  return 1
}
sticky() { [ ${#1} -eq 4 ] && case ${1%???} in [1357]) true ;; *) false ;; esac; }

# One folder of a chain: root's, and not writable by others (or, above the last one, sticky).
folder_step_trusted() {
  [ -d "$1" ] || return 1
  fst=$(stat -L -c '%u %a' -- "$1" 2>/dev/null) || return 1
  [ "${fst%% *}" = 0 ] || return 1
  others_can_write "${fst#* }" || return 0
  [ "$2" = above ] && sticky "${fst#* }"
}

folder_chain_trusted() {
  case $1 in /*) ;; *) return 1 ;; esac
  fct_prefix=''
  fct_rest=${1#/}
  folder_step_trusted / above || return 1
  while [ -n "$fct_rest" ]; do
    fct_part=${fct_rest%%/*}
    case $fct_rest in */*) fct_rest=${fct_rest#*/} ;; *) fct_rest='' ;; esac
    [ -n "$fct_part" ] || continue
    case $fct_part in . | ..) return 1 ;; esac
    fct_prefix=$fct_prefix/$fct_part
    if [ -L "$fct_prefix" ] && [ "$(stat -c %u -- "$fct_prefix" 2>/dev/null)" != 0 ]; then return 1; fi
    if [ -n "$fct_rest" ]; then folder_step_trusted "$fct_prefix" above || return 1; fi
  done
  folder_step_trusted "${fct_prefix:-/}" last
}

trusted_folder() {
  folder_chain_trusted "$1" || return 1
  tf_real=$(readlink -f -- "$1" 2>/dev/null) || return 1
  folder_chain_trusted "$tf_real"
}

# A regular file owned by root, writable by no one else, in a trusted folder (and, when the path
# is a symlink, a root-owned link in a trusted folder).
trusted_file() {
  [ -f "$1" ] || return 1
  tfi_real=$(readlink -f -- "$1" 2>/dev/null) || return 1
  tfi=$(stat -c '%u %a' -- "$tfi_real" 2>/dev/null) || return 1
  [ "${tfi%% *}" = 0 ] || return 1
  others_can_write "${tfi#* }" && return 1
  trusted_folder "$(dirname -- "$tfi_real")" || return 1
  [ "$tfi_real" = "$1" ] && return 0
  if [ -L "$1" ] && [ "$(stat -c %u -- "$1" 2>/dev/null)" != 0 ]; then return 1; fi
  trusted_folder "$(dirname -- "$1")"
}

# The path of a tool from the trusted tool folders (never from PATH or a process's folder).
trusted_tool() {
  for tt_dir in $TOOL_DIRS; do
    if [ -x "$tt_dir/$1" ] && trusted_file "$tt_dir/$1"; then
      printf '%s\n' "$tt_dir/$1"
      return 0
    fi
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# Where the files go. The agent passes AWS_SSM_INSTANCE_ID to every command it runs
# (amazon-ssm-agent agent/executers/executers.go, prepareEnvironment) and reads custom inventory
# from <data dir>/<instance id>/inventory/custom. The id names a folder: anything but i-/mi- and
# hex is refused, and nothing is written.
valid_instance_id() {
  case $1 in
    i-*) hex=${1#i-} ;;
    mi-*) hex=${1#mi-} ;;
    *) return 1 ;;
  esac
  case $hex in '' | *[!0-9a-f]*) return 1 ;; esac
  [ ${#hex} -eq 8 ] || [ ${#hex} -eq 17 ]
}

imds_instance_id() {
  curl=$(trusted_tool curl) || return 1
  imds=${IMDS_ENDPOINT:-http://169.254.169.254}
  token=$("$curl" -fsS -m 5 -X PUT "$imds/latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' 2>/dev/null) || return 1
  "$curl" -fsS -m 5 -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/instance-id" 2>/dev/null
}

if [ -n "${CUSTOM_INVENTORY_DIR:-}" ]; then
  OUT_DIR=$CUSTOM_INVENTORY_DIR
else
  INSTANCE_ID=${AWS_SSM_INSTANCE_ID:-}
  if [ -z "$INSTANCE_ID" ]; then
    INSTANCE_ID=$(imds_instance_id) || fail 'no AWS_SSM_INSTANCE_ID and the instance metadata service (IMDSv2) gave no instance id; nothing written'
  fi
  valid_instance_id "$INSTANCE_ID" || fail 'the instance id is not i-/mi- followed by hex digits; nothing written'
  OUT_DIR=${SSM_AGENT_DATA_DIR:-/var/lib/amazon/ssm}/$INSTANCE_ID/inventory/custom
fi

# The output folder must be one only root can change (see trusted_folder): a folder another user
# made, or reaches through a symlink of theirs, could point the files anywhere. A missing folder is
# created root-only (umask 077), under an existing trusted one.
case $OUT_DIR in /*) ;; *) fail "the output folder $OUT_DIR is not an absolute path; nothing written" ;; esac
if ! [ -e "$OUT_DIR" ] && ! [ -L "$OUT_DIR" ]; then
  existing=$OUT_DIR
  while ! [ -e "$existing" ] && ! [ -L "$existing" ]; do existing=$(dirname -- "$existing"); done
  trusted_folder "$existing" || fail "the output folder $OUT_DIR would be made in $existing, which someone other than root can change; nothing written"
  mkdir -p -- "$OUT_DIR" || fail "cannot create $OUT_DIR; nothing written"
fi
trusted_folder "$OUT_DIR" || fail "the output folder $OUT_DIR (or a folder above it, or a symlink on the way) is not owned by root or is writable by group or others; refusing to write there; nothing written"

WORK=$(mktemp -d 2>/dev/null) || fail 'cannot create a temporary folder'
trap 'rm -rf "$WORK"; rm -f -- ${TMP_SERVER:+"$TMP_SERVER"} ${TMP_NODES:+"$TMP_NODES"} ${TMP_USERS:+"$TMP_USERS"}' EXIT
trap 'exit 3' HUP INT TERM
SERVER_ROWS=$WORK/server.rows
NODE_ROWS=$WORK/node.rows
USER_ROWS=$WORK/user.rows
: >"$SERVER_ROWS"
: >"$NODE_ROWS"
: >"$USER_ROWS"

# ---------------------------------------------------------------------------------------------
# Helpers.

# A row attribute (key=value line; a row ends with a line "--"). Values lose line breaks.
kv() {
  case $2 in
    *"$NL"* | *"$CR"*) set -- "$1" "$(printf '%s' "$2" | tr '\r\n' '  ')" ;;
  esac
  printf '%s=%s\n' "$1" "$2" >>"$SERVER_ROWS"
}
end_row() { printf -- '--\n' >>"$SERVER_ROWS"; }

# One field of an INFO answer (`key:value` lines, CRLF).
info_field() { printf '%s\n' "$1" | tr -d '\r' | awk -v k="$2" 'index($0, k ":") == 1 { print substr($0, length(k) + 2); exit }'; }

# The last value of a directive in a Redis config file, without surrounding quotes.
conf_get() {
  awk -v k="$2" '
    # Redis reads double-quoted values with backslash escapes, single-quoted ones with only an escaped quote (sdssplitargs).
    function unquote(v,   out, i, c) {
      if (v ~ /^".*"$/) {
        v = substr(v, 2, length(v) - 2); out = ""
        for (i = 1; i <= length(v); i++) {
          c = substr(v, i, 1)
          if (c == "\\" && i < length(v)) {
            c = substr(v, ++i, 1)
            if (c == "n") c = "\n"; else if (c == "t") c = "\t"; else if (c == "r") c = "\r"
          }
          out = out c
        }
        return out
      }
      if (v ~ /^\047.*\047$/) { v = substr(v, 2, length(v) - 2); gsub(/\\\047/, "\047", v); return v }
      return v
    }
    tolower($1) == k {
      v = $0; sub(/^[ \t]*[^ \t]+[ \t]*/, "", v); sub(/[ \t\r]+$/, "", v)
      last = unquote(v); found = 1
    }
    END { if (found) print last }' "$1" 2>/dev/null
}

# The password of the ACL user "default" from `user default ... >password` lines.
conf_default_user_password() {
  awk 'tolower($1) == "user" && $2 == "default" { for (i = 3; i <= NF; i++) if (substr($i, 1, 1) == ">") p = substr($i, 2) } END { if (p != "") print p }' "$1" 2>/dev/null
}

# The version of a Redis binary, never by running it: the version of the package that installed
# it (dpkg or rpm database) when the file is root's and still the one that runs; else the highest
# x.y.z string standing alone in the file, read as data (Redis keeps its version as such a string;
# the other ones are the older versions its command table cites); else nothing.
# $1 = the path (readlink of /proc/<pid>/exe, or an installed file), $2 = the file to read as data.
upstream_version() { sed -n 's/^[0-9]*://; s/^\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n 1; }

package_version() {
  if dpkg_query=$(trusted_tool dpkg-query); then
    pv_package=$("$dpkg_query" -S -- "$1" 2>/dev/null | awk -F': ' '!/^diversion/ && NF >= 2 { split($1, p, ", "); sub(/:.*/, "", p[1]); print p[1]; exit }')
    if [ -n "$pv_package" ]; then
      pv_version=$("$dpkg_query" -W -f "\${Version}" -- "$pv_package" 2>/dev/null | upstream_version)
      [ -n "$pv_version" ] && printf '%s\n' "$pv_version" && return 0
    fi
  fi
  if rpm=$(trusted_tool rpm); then
    pv_version=$("$rpm" -qf --qf '%{VERSION}\n' -- "$1" 2>/dev/null) && pv_version=$(printf '%s\n' "$pv_version" | upstream_version)
    [ -n "$pv_version" ] && printf '%s\n' "$pv_version" && return 0
  fi
  return 1
}

file_version() {
  head -c 268435456 -- "$1" 2>/dev/null | tr -c '[:print:]' '\n' | grep -E '^[0-9]{1,2}\.[0-9]{1,3}\.[0-9]{1,3}$' | sort -u -t . -k1,1n -k2,2n -k3,3n | tail -n 1
}

# Sets BINARY and BINARY_SOURCE (package, file, or empty) for the binary at $1 (read through $2).
binary_version() {
  BINARY='' BINARY_SOURCE=''
  case $1 in '' | *' (deleted)') ;; *)
    if [ "$(stat -L -c '%d %i' -- "$2" 2>/dev/null)" = "$(stat -L -c '%d %i' -- "$1" 2>/dev/null)" ] && trusted_file "$1"; then
      BINARY=$(package_version "$1") && BINARY_SOURCE='package' && return 0
    fi
  esac
  BINARY=$(file_version "$2")
  [ -n "$BINARY" ] && BINARY_SOURCE='file'
  return 0
}

first_line() { printf '%s\n' "$1" | tr -d '\r' | awk 'NF { print; exit }' | cut -c1-300; }

# Every redis-server / redis-sentinel process (its executable name, which the process title
# setting does not change), or only those of REDIS_PIDS.
redis_pids() {
  if [ -n "${REDIS_PIDS+set}" ]; then
    for pid in $REDIS_PIDS; do
      case $pid in '' | *[!0-9]*) continue ;; esac
      [ -d "/proc/$pid" ] && printf '%s\n' "$pid"
    done
    return 0
  fi
  set +f
  for dir in /proc/[0-9]*; do
    comm=$(cat "$dir/comm" 2>/dev/null) || continue
    case $comm in redis-server | redis-sentinel) printf '%s\n' "${dir#/proc/}" ;; esac
  done
  set -f
}

# `address port inode` of every listening TCP socket in the given /proc net tables (state 0A is
# LISTEN; addresses are hex in host byte order).
tcp_listeners() {
  cat "$@" 2>/dev/null | awk '
    function hex(s,   i, n) { n = 0; s = toupper(s); for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return n }
    function v4(h) { return hex(substr(h, 7, 2)) "." hex(substr(h, 5, 2)) "." hex(substr(h, 3, 2)) "." hex(substr(h, 1, 2)) }
    function v6(h,   w, i, g, out) {
      if (h == "00000000000000000000000000000000") return "::"
      if (h == "00000000000000000000000001000000") return "::1"
      if (substr(h, 1, 16) == "0000000000000000" && substr(h, 17, 8) == "FFFF0000") return "::ffff:" v4(substr(h, 25, 8))
      out = ""
      for (i = 0; i < 4; i++) {
        w = substr(h, i * 8 + 1, 8)
        g = sprintf("%x:%x", hex(substr(w, 7, 2) substr(w, 5, 2)), hex(substr(w, 3, 2) substr(w, 1, 2)))
        out = out (i ? ":" : "") g
      }
      return out
    }
    $4 == "0A" && $10 ~ /^[0-9]+$/ {
      split($2, local, ":")
      print (length(local[1]) == 8 ? v4(local[1]) : v6(local[1])), hex(local[2]), $10
    }'
}

# The socket inodes of a process's open files, space-separated with a space at each end.
process_inodes() {
  pi=' '
  set +f
  for fd in /proc/"$1"/fd/*; do
    link=$(readlink "$fd" 2>/dev/null) || continue
    case $link in socket:\[*\]) link=${link#socket:[}; pi="$pi${link%]} " ;; esac
  done
  set -f
  printf '%s\n' "$pi"
}

# `address port` for every TCP socket the process ($1, inodes $2) listens on, from its own network
# namespace.
listen_sockets() {
  [ "$2" != ' ' ] || return 0
  tcp_listeners /proc/"$1"/net/tcp /proc/"$1"/net/tcp6 | awk -v inodes="$2" 'index(inodes, " " $3 " ") { print $1, $2 }' | sort -u
}

# The socket inodes that would take a connection to address $1, port $2 in the probe's own network
# namespace: a listener on that very address, else the wildcard of its family, else (IPv4) `::`.
address_holders() {
  tcp_listeners /proc/net/tcp /proc/net/tcp6 | awk -v a="$1" -v p="$2" '
    $2 != p { next }
    $1 == a { exact = exact " " $3; next }
    $1 == (a ~ /:/ ? "::" : "0.0.0.0") { family = family " " $3; next }
    $1 == "::" && a !~ /:/ { dual = dual " " $3 }
    END { print (exact != "" ? exact : family != "" ? family : dual) }'
}

# True when every socket in $1 (inodes) is one of the process's ($2), and there is one.
all_ours() {
  [ -n "$1" ] || return 1
  for ao in $1; do
    case $2 in *" $ao "*) ;; *) return 1 ;; esac
  done
  return 0
}

# The pids holding socket inode $1 (every process's open files).
socket_owners() {
  set +f
  find /proc/[0-9]*/fd -maxdepth 1 -lname "socket:\\[$1\\]" 2>/dev/null | awk -F/ '{ print $3 }' | sort -un
  set -f
}

# The uid a process runs as (empty unless its real and effective uids agree).
process_uid() { awk '$1 == "Uid:" { if ($2 == $3) print $3; exit }' "/proc/$1/status" 2>/dev/null; }

# The Redis service users' uids (Debian, Ubuntu, Amazon Linux and RHEL packages run Redis as
# `redis`), space-separated with a space at each end.
SERVICE_UIDS=" $(awk -F: '$1 == "redis" || $1 == "valkey" { printf "%s ", $3 }' /etc/passwd 2>/dev/null)"

# Nothing when process $1 (uid $2) may be trusted with a password read from a file owned by
# uid $3 (empty: the SecureString parameter): it runs a root-owned executable writable only by
# root, as root, a Redis service user or that file's owner. Else why not.
distrust() {
  dt=$(stat -L -c '%u %a' -- "/proc/$1/exe" 2>/dev/null) || { printf 'its executable cannot be read'; return 0; }
  if [ "${dt%% *}" != 0 ] || others_can_write "${dt#* }"; then
    printf 'its executable is not a root-owned file writable only by root'
    return 0
  fi
  [ -n "$2" ] || { printf 'its real and effective user ids differ'; return 0; }
  case " 0$SERVICE_UIDS${3:+$3 }" in *" $2 "*) return 0 ;; esac
  printf 'it runs as uid %s, not as root, the Redis service user or the owner of its config file' "$2"
}

# `pid uid executable` of a process, for a report.
describe_process() { printf 'pid %s (uid %s, %s)' "$1" "$(process_uid "$1")" "$(readlink "/proc/$1/exe" 2>/dev/null)"; }

# The config's unixsocket when the process ($1, inodes $2, uid $3) listens on it and only it or
# root can replace it: every listening socket bound to that path is the process's, and the socket
# file and its folder belong to root or the process's user (the folder writable by no one else,
# or sticky).
unix_target() {
  ut_path=$(conf_get "$CONFIG" unixsocket)
  case $ut_path in /*) ;; *) return 1 ;; esac
  [ -S "$ut_path" ] || return 1
  ut_inodes=$(awk -v path="$ut_path" 'NR > 1 && $4 == "00010000" && $8 == path { printf " %s", $7 }' /proc/net/unix 2>/dev/null)
  all_ours "$ut_inodes" "$2" || return 1
  ut_file=$(stat -c '%u' -- "$ut_path" 2>/dev/null) || return 1
  case "$ut_file" in 0 | "$3") ;; *) return 1 ;; esac
  ut_dir=$(stat -L -c '%u %a' -- "$(dirname -- "$ut_path")" 2>/dev/null) || return 1
  case "${ut_dir%% *}" in 0 | "$3") ;; *) return 1 ;; esac
  if others_can_write "${ut_dir#* }" && ! sticky "${ut_dir#* }"; then return 1; fi
  printf '%s\n' "$ut_path"
}

# Config files that may belong to the process: one named on its command line (kept when the
# process title is not rewritten), one named by its systemd unit's ExecStart, the *.conf files of
# its working folder (redis.io's cluster tutorial: `cd 7000 && redis-server ./redis.conf`), then
# the folders of REDIS_CONFIG_DIRS / ConfigDirs, then the usual places of the distributions' and
# redis.io's packages. find_config keeps only files owned by root or the process's user.
config_candidates() {
  tr '\000' '\n' <"/proc/$1/cmdline" 2>/dev/null | while IFS= read -r arg; do
    case $arg in
      /*.conf) printf '%s\n' "$arg" ;;
      *.conf) cwd=$(readlink "/proc/$1/cwd" 2>/dev/null) && printf '%s/%s\n' "$cwd" "$arg" ;;
    esac
  done
  unit_configs "$1"
  cwd=$(readlink "/proc/$1/cwd" 2>/dev/null) && config_files_in "$cwd"
  for dir in $CONFIG_DIRS; do config_files_in "$dir"; done
  set +f
  for dir in /etc/redis /etc/redis/* /etc/redis-stack /usr/local/etc/redis /usr/local/etc /opt/redis /opt/redis/etc /opt/redis/conf /etc; do
    config_files_in "$dir"
  done
  set -f
}

# The *.conf paths named by the ExecStart= lines of the process's systemd unit: the unit is the
# last `*.service` of its cgroup path (/proc/<pid>/cgroup), its file and drop-ins (`<unit>.d/*.conf`,
# for a template instance `name@instance.service` also those of `name@.service`, with %i / %I
# replaced by the instance) are read from UNIT_DIRS, and only when they are trusted files.
unit_configs() {
  uc_unit=$(awk -F: '{ n = split($NF, part, "/"); for (i = n; i >= 1; i--) if (part[i] ~ /\.service$/) { print part[i]; exit } }' "/proc/$1/cgroup" 2>/dev/null | head -n 1)
  case $uc_unit in '' | *[!A-Za-z0-9:_.@-]*) return 0 ;; esac
  uc_instance=''
  uc_template=''
  case $uc_unit in *@?*.service)
    uc_instance=${uc_unit#*@}
    uc_instance=${uc_instance%.service}
    uc_template=${uc_unit%%@*}@.service
  esac
  for uc_dir in $UNIT_DIRS; do
    set +f
    for uc_file in "$uc_dir/$uc_unit" "$uc_dir/$uc_unit.d"/*.conf ${uc_template:+"$uc_dir/$uc_template" "$uc_dir/$uc_template.d"/*.conf}; do
      set -f
      trusted_file "$uc_file" || continue
      awk -v instance="$uc_instance" '
        /^[ \t]*ExecStart[ \t]*=/ {
          line = $0; sub(/^[^=]*=[ \t]*/, "", line); sub(/^[-@:+!]+/, "", line)
          n = split(line, word, /[ \t]+/)
          for (i = 1; i <= n; i++) {
            w = word[i]; gsub(/^["\047]|["\047]$/, "", w)
            gsub(/%[iI]/, instance, w); gsub(/%%/, "%", w)
            if (w ~ /^\/.*\.conf$/) print w
          }
        }' "$uc_file" 2>/dev/null
    done
    set -f
  done
}

# The *.conf files of a folder (of /etc itself, only redis*.conf).
config_files_in() {
  [ -d "$1" ] || return 0
  set +f
  for file in "$1"/*.conf; do
    case $file in /etc/*.conf) case ${file#/etc/} in */*) ;; redis*) ;; *) continue ;; esac ;; esac
    [ -f "$file" ] && printf '%s\n' "$file"
  done
  set -f
}

# The client ports a config file sets (port, else Redis's default, and tls-port), without 0.
conf_ports() {
  cp_port=$(conf_get "$1" port)
  if [ -z "$cp_port" ]; then
    if grep -qi '^[[:space:]]*sentinel[[:space:]]\{1,\}monitor' "$1" 2>/dev/null; then cp_port=26379; else cp_port=6379; fi
  fi
  for cp in $cp_port $(conf_get "$1" tls-port); do
    case $cp in '' | 0 | *[!0-9]*) ;; *) printf '%s\n' "$cp" ;; esac
  done
}

# The first candidate owned by root or by the process's user ($3) whose port or tls-port is one the
# process listens on (and whose bind, when set, names an address it listens on).
find_config() {
  pid=$1 sockets=$2
  config_candidates "$pid" | while IFS= read -r file; do
    if ! [ -f "$file" ] || ! [ -r "$file" ]; then continue; fi
    case "$(stat -c %u -- "$file" 2>/dev/null)" in 0 | "$3") ;; *) continue ;; esac
    matched=''
    for p in $(conf_ports "$file"); do
      if printf '%s\n' "$sockets" | awk -v p="$p" '$2 == p { found = 1 } END { exit !found }'; then matched=$p; fi
    done
    [ -n "$matched" ] || continue
    bind=$(conf_get "$file" bind)
    if [ -n "$bind" ]; then
      ok=''
      for b in $bind; do
        b=${b#-}
        case $b in '*' | '0.0.0.0' | '::' | '::*') ok=1 ;; esac
        if printf '%s\n' "$sockets" | awk -v a="$b" -v p="$matched" '$1 == a && $2 == p { found = 1 } END { exit !found }'; then ok=1; fi
      done
      [ -n "$ok" ] || continue
    fi
    printf '%s\n' "$file"
    break
  done
}

# `pid address port` for each process other than $1 (socket inodes $2) listening on an address and
# port of its config file $3 (a squatter: the server could not bind there, and a client of that
# address reaches the squatter instead).
config_squatters() {
  cs_bind=$(conf_get "$3" bind)
  [ -n "$cs_bind" ] || cs_bind='* -::*'
  cs_table=$(tcp_listeners /proc/net/tcp /proc/net/tcp6)
  for cs_p in $(conf_ports "$3"); do
    for cs_b in $cs_bind; do
      cs_b=${cs_b#-}
      case $cs_b in '*') cs_b=0.0.0.0 ;; '::*') cs_b=:: ;; esac
      for cs_inode in $(printf '%s\n' "$cs_table" | awk -v a="$cs_b" -v p="$cs_p" '$1 == a && $2 == p { print $3 }'); do
        case $2 in *" $cs_inode "*) continue ;; esac
        for cs_owner in $(socket_owners "$cs_inode"); do
          [ "$cs_owner" = "$1" ] || printf '%s %s %s\n' "$cs_owner" "$cs_b" "$cs_p"
        done
      done
    done
  done
}

# True when the target of the current process is still its own: the unix socket passes
# unix_target again, or every socket that would take a connection to ADDR:PORT is the process's.
target_is_ours() {
  if [ -n "$UNIX" ]; then
    [ "$(unix_target "$pid" "$INODES" "$PROCESS_UID")" = "$UNIX" ]
  else
    all_ours "$(address_holders "$ADDR" "$PORT")" "$INODES"
  fi
}

# redis-cli against the current process (UNIX, else ADDR and PORT; TLS*, AUTH_USER, PASSWORD); the
# password goes in REDISCLI_AUTH, never on the command line, and only after target_is_ours.
rcli() {
  if [ -n "$UNIX" ]; then
    set -- -s "$UNIX" "$@"
  else
    if [ "$TLS" = 1 ]; then
      if [ -n "$TLS_KEY" ]; then set -- --key "$TLS_KEY" "$@"; fi
      if [ -n "$TLS_CERT" ]; then set -- --cert "$TLS_CERT" "$@"; fi
      if [ -n "$TLS_CA_DIR" ]; then set -- --cacertdir "$TLS_CA_DIR" "$@"; fi
      if [ -n "$TLS_CA" ]; then set -- --cacert "$TLS_CA" "$@"; fi
      set -- --tls "$@"
    fi
    set -- -h "$ADDR" -p "$PORT" "$@"
  fi
  if [ -n "$PASSWORD" ]; then
    if ! target_is_ours; then
      printf 'the listener is no longer this process; no password sent\n'
      return 0
    fi
    if [ -n "$AUTH_USER" ]; then set -- --user "$AUTH_USER" "$@"; fi
    REDISCLI_AUTH=$PASSWORD timeout "$CLI_TIMEOUT" "$REDIS_CLI" --no-auth-warning "$@" 2>&1
  else
    timeout "$CLI_TIMEOUT" "$REDIS_CLI" "$@" 2>&1
  fi
  status=$?
  [ "$status" -eq 124 ] && printf 'no answer within %s s\n' "$CLI_TIMEOUT"
  return 0
}

PARAMETER_PASSWORD_READ=''
PARAMETER_PASSWORD=''
parameter_password() {
  if [ -z "$PARAMETER_PASSWORD_READ" ]; then
    PARAMETER_PASSWORD_READ=1
    if [ -n "$PASSWORD_PARAMETER" ] && aws=$(trusted_tool aws); then
      set --
      if [ -n "${AWS_SSM_REGION_NAME:-}" ]; then set -- --region "$AWS_SSM_REGION_NAME"; fi
      PARAMETER_PASSWORD=$("$aws" ssm get-parameter "$@" --name "$PASSWORD_PARAMETER" --with-decryption --query Parameter.Value --output text 2>/dev/null) || PARAMETER_PASSWORD=''
    fi
  fi
  printf '%s' "$PARAMETER_PASSWORD"
}

# CLUSTER NODES lines into Custom:RedisClusterNode rows (key=value lines, "--" ends a row).
cluster_node_rows() {
  printf '%s\n' "$3" | tr -d '\r' | awk -v from_addr="$1" -v from_port="$2" '
    NF >= 8 && $1 ~ /^[0-9a-f]+$/ {
      split($2, hp, ","); hostname = (2 in hp) ? hp[2] : ""
      at = index(hp[1], "@"); address = at ? substr(hp[1], 1, at - 1) : hp[1]; bus = at ? substr(hp[1], at + 1) : ""
      slots = ""; count = 0
      for (i = 9; i <= NF; i++) {
        if (substr($i, 1, 1) == "[") continue
        slots = slots (slots == "" ? "" : " ") $i
        if (split($i, r, "-") == 2) count += r[2] - r[1] + 1; else count += 1
      }
      if (length(slots) > 4000) slots = substr(slots, 1, 4000)
      print "seen_from_address=" from_addr; print "seen_from_port=" from_port
      print "node_id=" $1; print "address=" address; print "bus_port=" bus; print "hostname=" hostname
      print "flags=" $3; print "master_id=" $4; print "link_state=" $8; print "config_epoch=" $7
      print "slots=" slots; print "slot_count=" count
      print "--"
    }' >>"$NODE_ROWS"
}

# ---------------------------------------------------------------------------------------------
# One process.
# ---------------------------------------------------------------------------------------------
# Security posture (docs/redis-probe.md, "Security posture"): facts, never a secret. No password
# and no password hash is read (ACL LIST and the `passwords` of ACL GETUSER are never kept: only the
# flags and command rules are taken from its answer), no key name, and nothing is executed.

# The package that owns the executable $1 (the file at $2 must be that same file): PKG_MANAGER is
# dpkg or rpm with PKG_NAME and PKG_VERSION (the full version: epoch, upstream, revision), `none`
# when the package database that is there says no package owns it, empty when none could be asked.
package_owner() {
  PKG_MANAGER='' PKG_NAME='' PKG_VERSION=''
  case $1 in '' | *' (deleted)') return 0 ;; esac
  [ "$(stat -L -c '%d %i' -- "$2" 2>/dev/null)" = "$(stat -L -c '%d %i' -- "$1" 2>/dev/null)" ] || return 0
  po_asked=''
  if po_dpkg=$(trusted_tool dpkg-query); then
    po_asked=1
    PKG_NAME=$("$po_dpkg" -S -- "$1" 2>/dev/null | awk -F': ' '!/^diversion/ && NF >= 2 { split($1, p, ", "); sub(/:.*/, "", p[1]); print p[1]; exit }')
    if [ -n "$PKG_NAME" ]; then
      PKG_VERSION=$("$po_dpkg" -W -f "\${Version}" -- "$PKG_NAME" 2>/dev/null)
      if [ -n "$PKG_VERSION" ]; then PKG_MANAGER=dpkg; return 0; fi
    fi
  fi
  if po_rpm=$(trusted_tool rpm); then
    po_asked=1
    po_owner=$("$po_rpm" -qf --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}\n' -- "$1" 2>/dev/null | head -n 1)
    case $po_owner in
      *' '[0-9]*:* | *' (none):'*)
        PKG_NAME=${po_owner%% *} PKG_VERSION=${po_owner#* } PKG_MANAGER=rpm
        PKG_VERSION=${PKG_VERSION#\(none\):}
        return 0
        ;;
    esac
  fi
  PKG_NAME='' PKG_VERSION=''
  [ -z "$po_asked" ] || PKG_MANAGER=none
  return 0
}

# The flags of an ACL GETUSER answer (the lines between `flags` and the next field name), space-separated.
acl_flags() { printf '%s\n' "$1" | tr -d '\r' | awk '$0 == "flags" { f = 1; next } f && ($0 == "passwords" || $0 == "commands" || $0 == "keys" || $0 == "channels" || $0 == "selectors") { exit } f && $0 != "" { printf "%s%s", (n++ ? " " : ""), $0 }'; }
# The command rules of an ACL GETUSER answer (the line after `commands`).
acl_commands() { printf '%s\n' "$1" | tr -d '\r' | awk 'f { print; exit } $0 == "commands" { f = 1 }'; }
has_flag() { case " $1 " in *" $2 "*) return 0 ;; *) return 1 ;; esac; }
# 1 when ACL DRYRUN answers OK, 0 when it refuses for permissions, empty otherwise (an unknown or renamed command).
dryrun() {
  dr_answer=$(rcli ACL DRYRUN "$@" </dev/null | tr -d '\r' | head -n 1)
  case $dr_answer in
    OK) echo 1 ;;
    *'no permissions'* | *NOPERM*) echo 0 ;;
  esac
}
# A CONFIG GET value, or nothing.
config_value() { rcli CONFIG GET "$1" </dev/null | tr -d '\r' | awk -v k="$1" 'prev == k { print; exit } { prev = $0 }'; }

# The posture of the current process (after INFO answered): attributes of its Custom:RedisServer row,
# and one Custom:RedisAclUser row per ACL user (at most 100).
posture_fields() {
  kv tls_port "$(config_value tls-port)"
  for setting in enable-debug-command enable-module-command enable-protected-configs; do
    kv "$(printf '%s' "$setting" | tr - _)" "$(config_value "$setting")"
  done
  if [ -n "$CONFIG" ] && [ -r "$CONFIG" ]; then
    kv renamed_command_names "$(awk 'tolower($1) == "rename-command" && NF >= 2 { printf "%s%s", (n++ ? " " : ""), tolower($2) }' "$CONFIG" 2>/dev/null)"
  fi
  pf_default=$(rcli ACL GETUSER default </dev/null)
  if ! printf '%s\n' "$pf_default" | tr -d '\r' | grep -qx flags; then
    kv posture_error "$(first_line "$pf_default")"
    return 0
  fi
  pf_flags=$(acl_flags "$pf_default")
  if has_flag "$pf_flags" on; then kv default_user_enabled 1; else kv default_user_enabled 0; fi
  if has_flag "$pf_flags" nopass; then kv default_user_nopass 1; else kv default_user_nopass 0; fi
  pf_users=$(rcli ACL USERS </dev/null | tr -d '\r' | awk 'NF' | head -n 100)
  pf_count=0
  # One user name a line (never split on spaces); redis-cli reads /dev/null, not the names.
  while IFS= read -r user; do
    [ -n "$user" ] || continue
    pf_user=$(rcli ACL GETUSER "$user" </dev/null)
    printf '%s\n' "$pf_user" | tr -d '\r' | grep -qx flags || continue
    pf_count=$((pf_count + 1))
    pf_flags=$(acl_flags "$pf_user")
    {
      printf 'seen_from_address=%s\nseen_from_port=%s\n' "$ADDR" "$PORT"
      printf 'user=%s\n' "$user"
      if has_flag "$pf_flags" on; then echo enabled=1; else echo enabled=0; fi
      if has_flag "$pf_flags" nopass; then echo nopass=1; else echo nopass=0; fi
      printf 'commands=%s\n' "$(acl_commands "$pf_user")"
      printf 'may_eval=%s\n' "$(dryrun "$user" EVAL 'return 1' 0)"
      printf 'may_config=%s\n' "$(dryrun "$user" CONFIG GET maxmemory)"
      printf 'may_debug=%s\n' "$(dryrun "$user" DEBUG HELP)"
      printf 'may_module=%s\n' "$(dryrun "$user" MODULE LIST)"
      printf 'may_flushall=%s\n' "$(dryrun "$user" FLUSHALL)"
      printf 'may_flushdb=%s\n' "$(dryrun "$user" FLUSHDB)"
      printf 'may_keys=%s\n' "$(dryrun "$user" KEYS x)"
      echo --
    } >>"$USER_ROWS"
  done <<EOF
$pf_users
EOF
  kv acl_users "$pf_count"
}

probe_process() {
  pid=$1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null)
  EXE=$(readlink "/proc/$pid/exe" 2>/dev/null) || EXE=''
  PROCESS_UID=$(process_uid "$pid")
  INODES=$(process_inodes "$pid")
  SOCKETS=$(listen_sockets "$pid" "$INODES")
  LISTEN=$(printf '%s\n' "$SOCKETS" | awk 'NF == 2 { printf "%s%s:%s", (n++ ? " " : ""), ($1 ~ /:/ ? "[" $1 "]" : $1), $2 }')
  CONFIG=$(find_config "$pid" "$SOCKETS" "$PROCESS_UID")
  CONFIG_OWNER=''
  [ -z "$CONFIG" ] || CONFIG_OWNER=$(stat -c %u -- "$CONFIG" 2>/dev/null)
  TLS=0 TLS_CA='' TLS_CA_DIR='' TLS_CERT='' TLS_KEY='' AUTH_USER='' PASSWORD='' ERROR='' AUTH_REQUIRED='' UNIX=''
  PORT=''
  if [ -n "$CONFIG" ]; then
    conf_port=$(conf_get "$CONFIG" port)
    conf_tls_port=$(conf_get "$CONFIG" tls-port)
    for p in $conf_port; do
      if printf '%s\n' "$SOCKETS" | awk -v p="$p" '$2 == p { f = 1 } END { exit !f }'; then PORT=$p; fi
    done
    if [ -z "$PORT" ] && [ -n "$conf_tls_port" ] && [ "$conf_tls_port" != 0 ]; then
      PORT=$conf_tls_port TLS=1
      TLS_CA=$(conf_get "$CONFIG" tls-ca-cert-file)
      TLS_CA_DIR=$(conf_get "$CONFIG" tls-ca-cert-dir)
      TLS_CERT=$(conf_get "$CONFIG" tls-client-cert-file)
      TLS_KEY=$(conf_get "$CONFIG" tls-client-key-file)
      [ -n "$TLS_CERT" ] || TLS_CERT=$(conf_get "$CONFIG" tls-cert-file)
      [ -n "$TLS_KEY" ] || TLS_KEY=$(conf_get "$CONFIG" tls-key-file)
    fi
  fi
  if [ -z "$PORT" ]; then
    # No config file: the lowest port that is not another listening port + 10000 (a cluster bus).
    PORT=$(printf '%s\n' "$SOCKETS" | awk 'NF == 2 { p[$2] = 1 } END { for (x in p) if (!((x - 10000) in p)) print x }' | sort -n | head -n 1)
  fi
  # The addresses to reach PORT at, best first (loopback for a wildcard); the first one whose
  # listener in the probe's own network namespace is this process.
  CANDIDATES=$(printf '%s\n' "$SOCKETS" | awk -v p="$PORT" '
    $2 == p { a = $1; if (a == "0.0.0.0") a = "127.0.0.1"; else if (a == "::") a = "::1"; print (a == "127.0.0.1" ? 0 : a == "::1" ? 1 : 2), a }' | sort -n | awk '!seen[$2]++ { print $2 }')
  ADDR=''
  for candidate in $CANDIDATES; do
    if all_ours "$(address_holders "$candidate" "$PORT")" "$INODES"; then ADDR=$candidate; break; fi
  done

  DISTRUST=$(distrust "$pid" "$PROCESS_UID" "$CONFIG_OWNER")
  REDIS_CLI=$(trusted_tool redis-cli) || REDIS_CLI=''
  INFO='' STATUS='error'
  if [ -n "$DISTRUST" ]; then
    [ -z "$PORT" ] || STATUS='untrusted listener'
    ERROR="not trusted with a connection: $DISTRUST; the probe sent it nothing"
    squats=$(awk -v s="$pid" '$1 == s { printf "%s%s:%s", (n++ ? ", " : ""), ($2 ~ /:/ ? "[" $2 "]" : $2), $3; config = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", config); owner = $4 } END { if (n) printf " (an address of %s, the config file of pid %s)", config, owner }' "$SQUATTERS")
    if [ -z "$squats" ] && [ -n "$CONFIG" ]; then
      squats="$(printf '%s\n' "$SOCKETS" | awk -v p="$PORT" '$2 == p { printf "%s%s:%s", (n++ ? ", " : ""), ($1 ~ /:/ ? "[" $1 "]" : $1), $2 }') (an address of $CONFIG)"
    fi
    [ -z "$squats" ] || ERROR="it holds $squats; $ERROR"
    [ -n "$ADDR" ] || ADDR=$(printf '%s\n' "$CANDIDATES" | head -n 1)
  elif [ -z "$PORT" ] && ! ls "/proc/$pid/fd" >/dev/null 2>&1; then
    ERROR="cannot read /proc/$pid/fd to find its sockets (run the probe as root)"
  elif [ -z "$PORT" ]; then
    ERROR='the process listens on no TCP port'
  elif [ -z "$REDIS_CLI" ]; then
    ERROR="redis-cli not found in the trusted tool folders ($TOOL_DIRS)"
  else
    [ -z "$CONFIG" ] || UNIX=$(unix_target "$pid" "$INODES" "$PROCESS_UID") || UNIX=''
    if [ -z "$UNIX" ] && [ -z "$ADDR" ]; then
      holders=''
      for candidate in $CANDIDATES; do
        for inode in $(address_holders "$candidate" "$PORT"); do
          for owner in $(socket_owners "$inode"); do holders="$holders; $candidate:$PORT is held by $(describe_process "$owner")"; done
        done
      done
      ERROR="no address of port $PORT reaches this process from the probe's network namespace$holders; not connected"
      ADDR=$(printf '%s\n' "$CANDIDATES" | head -n 1)
    else
      answer=$(rcli PING)
      case $answer in
        *PONG*) AUTH_REQUIRED=0 ;;
        *NOAUTH*)
          AUTH_REQUIRED=1
          if [ -n "$CONFIG" ]; then
            PASSWORD=$(conf_get "$CONFIG" requirepass)
            [ -n "$PASSWORD" ] || PASSWORD=$(conf_default_user_password "$CONFIG")
            if [ -z "$PASSWORD" ]; then
              PASSWORD=$(conf_get "$CONFIG" masterauth)
              [ -n "$PASSWORD" ] && AUTH_USER=$(conf_get "$CONFIG" masteruser)
            fi
          fi
          if [ -z "$PASSWORD" ] && [ -n "$PASSWORD_PARAMETER" ]; then
            # The parameter belongs to no file: only processes run by root or the Redis service user get it.
            case " 0$SERVICE_UIDS" in
              *" $PROCESS_UID "*) PASSWORD=$(parameter_password) ;;
              *) ERROR="authentication required; no password in ${CONFIG:-a config file matched by port}, and the parameter $PASSWORD_PARAMETER goes only to processes run by root or the Redis service user (this one runs as uid $PROCESS_UID)" ;;
            esac
          fi
          if [ -z "$PASSWORD" ] && [ -z "$ERROR" ]; then
            ERROR="authentication required; no password in ${CONFIG:-a config file matched by port}${PASSWORD_PARAMETER:+ or the parameter $PASSWORD_PARAMETER}"
          fi
          ;;
        *) ERROR=$(first_line "$answer"); [ -n "$ERROR" ] || ERROR='no answer' ;;
      esac
      if [ -z "$ERROR" ]; then
        INFO=$(rcli INFO)
        if ! printf '%s\n' "$INFO" | grep -q '^redis_version:'; then
          ERROR=$(printf '%s\n' "$INFO" | grep -v '^$' | grep -iv '^warning' | head -n 1 | cut -c1-300)
          [ -n "$ERROR" ] || ERROR='INFO gave no redis_version'
          INFO=''
        fi
      fi
    fi
  fi
  [ -z "$INFO" ] || STATUS='ok'

  kv probe_version 2
  kv status "$STATUS"
  kv pid "$pid"
  kv uid "$PROCESS_UID"
  kv process "$comm"
  kv address "$ADDR"
  kv port "$PORT"
  kv listen "$LISTEN"
  kv tls "$TLS"
  kv auth_required "$AUTH_REQUIRED"
  [ -z "$UNIX" ] || kv unix_socket "$UNIX"
  if [ -n "$INFO" ]; then
    BINARY=$(info_field "$INFO" redis_version) BINARY_SOURCE='info'
  else
    binary_version "$EXE" "/proc/$pid/exe"
  fi
  kv binary_version "$BINARY"
  kv binary_version_source "$BINARY_SOURCE"
  kv executable "$EXE"
  package_owner "$EXE" "/proc/$pid/exe"
  kv package_manager "$PKG_MANAGER"
  kv package_name "$PKG_NAME"
  kv package_version "$PKG_VERSION"
  if [ -n "$INFO" ]; then
    info_config=$(info_field "$INFO" config_file)
    kv config_file "${info_config:-$CONFIG}"
    [ -n "$CONFIG" ] || CONFIG=$info_config
    for field in redis_version redis_mode role master_host master_port master_link_status cluster_enabled sentinel_masters maxmemory maxmemory_policy used_memory total_system_memory; do
      kv "$field" "$(info_field "$INFO" "$field")"
    done
    if [ "$(info_field "$INFO" cluster_enabled)" = 1 ]; then
      CLUSTER_INFO=$(rcli CLUSTER INFO)
      for field in cluster_state cluster_slots_assigned cluster_slots_ok cluster_slots_pfail cluster_slots_fail cluster_known_nodes cluster_size; do
        kv "$field" "$(info_field "$CLUSTER_INFO" "$field")"
      done
      kv cluster_node_id "$(rcli CLUSTER MYID | tr -d '\r' | awk '/^[0-9a-f]+$/ { print; exit }')"
      cluster_node_rows "$ADDR" "$PORT" "$(rcli CLUSTER NODES)"
    fi
    protected=''
    if [ "$(info_field "$INFO" redis_mode)" != sentinel ]; then
      protected=$(rcli CONFIG GET protected-mode | tr -d '\r' | awk 'prev == "protected-mode" { print; exit } { prev = $0 }')
    fi
    if [ -z "$protected" ] && [ -n "$CONFIG" ] && [ -r "$CONFIG" ]; then
      protected=$(conf_get "$CONFIG" protected-mode)
    fi
    kv protected_mode "$protected"
    [ "$(info_field "$INFO" redis_mode)" = sentinel ] || posture_fields
    kv error ''
  else
    kv config_file "$CONFIG"
    kv error "$ERROR"
  fi
  end_row
  PASSWORD=''
}

# ---------------------------------------------------------------------------------------------
# Every process, then every expected port nothing listens on.
PIDS=$(redis_pids)

# First, the squatters: for each process that may be trusted, every other process holding an address
# and port of its config file (`squatter address port pid config` lines).
SQUATTERS=$WORK/squatters
: >"$SQUATTERS"
for pid in $PIDS; do
  sq_uid=$(process_uid "$pid")
  sq_inodes=$(process_inodes "$pid")
  sq_config=$(find_config "$pid" "$(listen_sockets "$pid" "$sq_inodes")" "$sq_uid")
  [ -n "$sq_config" ] || continue
  [ -z "$(distrust "$pid" "$sq_uid" "$(stat -c %u -- "$sq_config" 2>/dev/null)")" ] || continue
  config_squatters "$pid" "$sq_inodes" "$sq_config" | while read -r sq_pid sq_address sq_port; do
    printf '%s %s %s %s %s\n' "$sq_pid" "$sq_address" "$sq_port" "$pid" "$sq_config"
  done >>"$SQUATTERS"
done

SEEN_PORTS=' '
FOUND=0
for pid in $PIDS; do
  probe_process "$pid"
  FOUND=$((FOUND + 1))
  for socket_port in $(printf '%s\n' "$SOCKETS" | awk 'NF == 2 { print $2 }'); do SEEN_PORTS="$SEEN_PORTS$socket_port "; done
done

# A squatter that is not one of the processes above gets a row of its own.
REPORTED=" $(printf '%s\n' "$PIDS" | tr '\n' ' ')"
while read -r sq_pid sq_address sq_port sq_owner sq_config; do
  case $REPORTED in *" $sq_pid "*) continue ;; esac
  REPORTED="$REPORTED$sq_pid "
  sq_inodes=$(process_inodes "$sq_pid")
  sq_exe=$(readlink "/proc/$sq_pid/exe" 2>/dev/null) || sq_exe=''
  binary_version "$sq_exe" "/proc/$sq_pid/exe"
  kv probe_version 2
  kv status 'untrusted listener'
  kv pid "$sq_pid"
  kv uid "$(process_uid "$sq_pid")"
  kv process "$(cat "/proc/$sq_pid/comm" 2>/dev/null)"
  kv address "$sq_address"
  kv port "$sq_port"
  kv listen "$(listen_sockets "$sq_pid" "$sq_inodes" | awk 'NF == 2 { printf "%s%s:%s", (n++ ? " " : ""), ($1 ~ /:/ ? "[" $1 "]" : $1), $2 }')"
  kv binary_version "$BINARY"
  kv binary_version_source "$BINARY_SOURCE"
  kv executable "$sq_exe"
  kv error "it holds $(case $sq_address in *:*) printf '[%s]' "$sq_address" ;; *) printf '%s' "$sq_address" ;; esac):$sq_port, an address of $sq_config, the config file of pid $sq_owner, which does not listen there (a client of that address reaches this process instead); the probe sent it nothing"
  end_row
done <"$SQUATTERS"

INSTALLED='' INSTALLED_SOURCE=''
if installed_path=$(trusted_tool redis-server); then
  binary_version "$installed_path" "$installed_path"
  INSTALLED=$BINARY INSTALLED_SOURCE=$BINARY_SOURCE
fi
for port in $PORTS; do
  case $port in '' | *[!0-9]*) continue ;; esac
  case $SEEN_PORTS in *" $port "*) continue ;; esac
  SEEN_PORTS="$SEEN_PORTS$port "
  kv probe_version 2
  kv status not_running
  kv port "$port"
  kv binary_version "$INSTALLED"
  kv binary_version_source "$INSTALLED_SOURCE"
  kv error "no Redis process listens on port $port"
  end_row
done
if [ "$FOUND" -eq 0 ]; then
  kv probe_version 2
  kv status not_running
  kv binary_version "$INSTALLED"
  kv binary_version_source "$INSTALLED_SOURCE"
  kv error "$([ -n "$INSTALLED" ] && echo "redis-server ${INSTALLED} is installed but no redis-server or redis-sentinel process is running" || echo 'no redis-server or redis-sentinel process is running and no redis-server binary was found')"
  end_row
fi

# ---------------------------------------------------------------------------------------------
# The files: JSON built by awk, strings only. Every value is escaped (backslash, quote, every
# control character, C1 controls included, as \uXXXX), invalid UTF-8 bytes become U+FFFD, and
# each value is cut, at a character boundary, to VALUE_LIMIT bytes of UTF-8 (names to 64): under
# the agent's 4,096 limit whatever a process says. Written to mktemp files in the output folder
# (names the agent ignores: it reads *.json only), then renamed into place.
VALUE_LIMIT=4000
to_json() {
  awk -v type="$1" -v time="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v limit="$VALUE_LIMIT" '
    function esc(s, cap,   out, n, i, c, b, piece, width, need, ok, j, b2, second, size) {
      out = ""; size = 0; n = length(s)
      for (i = 1; i <= n; i++) {
        c = substr(s, i, 1); b = ord[c]
        if (b < 128) {
          width = 1
          if (c == "\\") piece = "\\\\"
          else if (c == "\"") piece = "\\\""
          else if (b < 32 || b == 127) piece = sprintf("\\u%04x", b)
          else piece = c
        } else {
          need = (b >= 194 && b <= 223) ? 1 : (b >= 224 && b <= 239) ? 2 : (b >= 240 && b <= 244) ? 3 : 0
          ok = need > 0 && i + need <= n
          for (j = 1; ok && j <= need; j++) {
            b2 = ord[substr(s, i + j, 1)]
            if (b2 < 128 || b2 > 191) ok = 0
            if (j == 1) second = b2
          }
          # No overlong forms, no UTF-16 surrogates, nothing above U+10FFFF.
          if (ok && ((b == 224 && second < 160) || (b == 237 && second > 159) || (b == 240 && second < 144) || (b == 244 && second > 143))) ok = 0
          if (!ok) { piece = "\\ufffd"; width = 3 }
          else if (b == 194 && second < 160) { piece = sprintf("\\u%04x", second); width = 2; i += need }
          else { piece = substr(s, i, need + 1); width = need + 1; i += need }
        }
        if (size + width > cap) break
        out = out piece; size += width
      }
      return out
    }
    BEGIN {
      for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
      printf "{\"SchemaVersion\":\"2.0\",\"TypeName\":\"%s\",\"CaptureTime\":\"%s\",\"Content\":[", type, time
    }
    $0 == "--" { if (open) printf "}"; open = 0; next }
    {
      eq = index($0, "="); if (eq == 0) next
      if (!open) { printf "%s{", (rows++ ? "," : ""); open = 1; first = 1 }
      printf "%s\"%s\":\"%s\"", (first ? "" : ","), esc(substr($0, 1, eq - 1), 64), esc(substr($0, eq + 1), limit); first = 0
    }
    END { if (open) printf "}"; printf "]}\n" }' "$2"
}

for name in RedisServer.json RedisClusterNode.json RedisAclUser.json; do
  if [ -d "$OUT_DIR/$name" ] && ! [ -L "$OUT_DIR/$name" ]; then fail "$OUT_DIR/$name is a folder; nothing written"; fi
done
TMP_SERVER=$(mktemp -- "$OUT_DIR/.RedisServer.json.XXXXXX") || fail "cannot create a temporary file in $OUT_DIR; nothing written"
TMP_NODES=$(mktemp -- "$OUT_DIR/.RedisClusterNode.json.XXXXXX") || fail "cannot create a temporary file in $OUT_DIR; nothing written"
TMP_USERS=$(mktemp -- "$OUT_DIR/.RedisAclUser.json.XXXXXX") || fail "cannot create a temporary file in $OUT_DIR; nothing written"
to_json Custom:RedisServer "$SERVER_ROWS" >"$TMP_SERVER" || fail "cannot write $TMP_SERVER"
to_json Custom:RedisClusterNode "$NODE_ROWS" >"$TMP_NODES" || fail "cannot write $TMP_NODES"
to_json Custom:RedisAclUser "$USER_ROWS" >"$TMP_USERS" || fail "cannot write $TMP_USERS"
mv -f -- "$TMP_SERVER" "$OUT_DIR/RedisServer.json" || fail "cannot write $OUT_DIR/RedisServer.json"
mv -f -- "$TMP_NODES" "$OUT_DIR/RedisClusterNode.json" || fail "cannot write $OUT_DIR/RedisClusterNode.json"
mv -f -- "$TMP_USERS" "$OUT_DIR/RedisAclUser.json" || fail "cannot write $OUT_DIR/RedisAclUser.json"
say "redis-probe: $FOUND Redis process(es); wrote $OUT_DIR/RedisServer.json, $OUT_DIR/RedisClusterNode.json and $OUT_DIR/RedisAclUser.json"
cat "$OUT_DIR/RedisServer.json"
