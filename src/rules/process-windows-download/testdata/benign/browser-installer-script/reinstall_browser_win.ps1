# Downloads the browser's MSI installer from the vendor (a placeholder host here) and installs it.
$url = 'https://dl.browser-vendor.invalid/installer.msi'
$msiInstaller = "$env:TEMP\installer.msi"
$wc = New-Object net.webclient
$wc.Downloadfile($url, $msiInstaller)
Start-Process msiexec.exe -ArgumentList "/i $msiInstaller /quiet" -Wait
