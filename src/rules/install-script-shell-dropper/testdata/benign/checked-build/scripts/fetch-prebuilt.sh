#!/bin/sh
# Fetches the pinned prebuilt library archive, checks it and unpacks it.
set -e
curl -fsSL https://github.com/fixture-owner/checked-build/releases/download/v1.0.0/lib.tar.gz -o lib.tar.gz
echo "0000000000000000000000000000000000000000000000000000000000000000  lib.tar.gz" | sha256sum -c -
tar xzf lib.tar.gz -C prebuilt
