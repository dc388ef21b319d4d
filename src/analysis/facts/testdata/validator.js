#!/bin/bash
echo fixture > /dev/null
