<#
.SYNOPSIS
    Writes the table of assemblies that .NET Framework 4.7.2 provides (name, version, public key token), which the
    binding-closure test (tests/AvantiPS.Tests/Binding) checks the built module against.

.DESCRIPTION
    The facts come from Microsoft's reference-assembly package for .NET Framework 4.7.2 (its assemblies and facades
    carry the versions the framework binds to). The package is restored with the net472 build of src/AvantiPS, so run
    `./build.ps1 -Task Build` first. Run once per framework change; the output is checked in.

.EXAMPLE
    dotnet pwsh ./build/FrameworkAssemblies.ps1
#>
[CmdletBinding()]
param(
    [string] $PackageVersion = '1.0.3',
    [string] $OutFile = (Join-Path $PSScriptRoot '../tests/AvantiPS.Tests/Binding/net472-assemblies.csv')
)

$ErrorActionPreference = 'Stop'
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$root = Join-Path $packages "microsoft.netframework.referenceassemblies.net472/$PackageVersion/build/.NETFramework/v4.7.2"
if (-not (Test-Path $root)) { throw "Reference assemblies not found at ${root}: build src/AvantiPS (net472) first." }

$rows = foreach ($file in Get-ChildItem $root, (Join-Path $root 'Facades') -Filter *.dll) {
    # A few files in the package are native images, not assemblies.
    try { $name = [Reflection.AssemblyName]::GetAssemblyName($file.FullName) } catch [BadImageFormatException] { continue }
    [pscustomobject]@{
        Name           = $name.Name
        Version        = $name.Version.ToString()
        PublicKeyToken = -join ($name.GetPublicKeyToken() | ForEach-Object { $_.ToString('x2') })
    }
}
$lines = @('Name,Version,PublicKeyToken') + ($rows | Sort-Object Name -Unique | ForEach-Object { '{0},{1},{2}' -f $_.Name, $_.Version, $_.PublicKeyToken })
[IO.File]::WriteAllLines($OutFile, [string[]]$lines)
Write-Host "$($lines.Count - 1) assemblies written to $OutFile"
