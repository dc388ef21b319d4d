# Build file of the gains-addon benign sample.
{ "targets": [ { "target_name": "addon", "sources": [ "addon.c" ] } ] }
