#!/usr/bin/env bash
# npm run test:s3 [TEST_FILE…]: the storage tests on the S3 driver. Uses the S3 server of
# S3_ENDPOINT (with S3_ACCESS_KEY/S3_SECRET_KEY or AWS_*) when given; otherwise starts Ceph's
# RADOS Gateway (scripts/ceph-rgw/start.sh) for the run and stops it after.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${S3_ENDPOINT:-}" ]; then
  # Short: the gateway's admin sockets live under it (107-character limit).
  DIR=$(mktemp -d /tmp/casa-rgw.XXXXXX)
  rmdir "$DIR"
  # Free ports of our own, so a gateway already running on the defaults is left alone.
  read -r RGW_PORT MON_PORT MON_PORT_V1 < <(node -e "
    const net = require('node:net');
    Promise.all([0, 1, 2].map(() => new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); })))
      .then((ports) => console.log(ports.join(' ')));")
  export RGW_PORT MON_PORT MON_PORT_V1
  trap 'bash scripts/ceph-rgw/stop.sh "$DIR" >/dev/null 2>&1 || true' EXIT
  if ! bash scripts/ceph-rgw/start.sh "$DIR" >"${DIR}.log" 2>&1; then
    tail -n 30 "${DIR}.log" >&2
    echo "test:s3: the S3 gateway did not start (log above); set S3_ENDPOINT to use another S3 server" >&2
    exit 1
  fi
  rm -f "${DIR}.log"
  # shellcheck source=/dev/null
  . "$DIR/s3.env"
fi
export S3_ENDPOINT TEST_STORAGE=s3

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  # The driver's own tests, then every test whose app keeps files, now in the bucket.
  files=(test/storage/*.test.ts test/deliverables/files.test.ts test/deliverables/delivery.test.ts test/orders/go2scan.test.ts test/http/health.test.ts)
fi
node --import tsx --test --test-concurrency=2 --test-timeout=300000 "${files[@]}"
