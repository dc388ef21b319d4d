#!/bin/sh
# Contributor setup, never run at install: builds from source.
./configure --prefix="$PWD/out"
make
