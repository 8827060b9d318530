#!/usr/bin/env bash
# Starts nginx with the nchan module on 127.0.0.1:PORT in the foreground-of-a-subshell and prints
# its master PID. Usage: bench/nchan/start.sh PORT PREFIX_DIR   (stop: kill -QUIT $(cat PREFIX/nginx.pid))
set -euo pipefail
port=${1:?port}
prefix=${2:?prefix dir}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
  echo "Installing nginx and the nchan module (Debian packages)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light libnginx-mod-nchan >&2
fi
mkdir -p "$prefix"
sed -e "s#@PREFIX@#$prefix#g" -e "s#@PORT@#$port#g" "$here/nchan.conf.template" > "$prefix/nginx.conf"
ulimit -n 70000 2>/dev/null || true
nginx -p "$prefix" -c "$prefix/nginx.conf" > "$prefix/stdout.log" 2>&1 &
for _ in $(seq 1 100); do
  if [ -s "$prefix/nginx.pid" ] && curl -s -o /dev/null "http://127.0.0.1:$port/pub/probe" -X POST -d probe; then
    cat "$prefix/nginx.pid"
    exit 0
  fi
  sleep 0.1
done
echo "nchan did not start; see $prefix/error.log" >&2
exit 1
