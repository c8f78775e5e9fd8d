<#
.SYNOPSIS
    Regenerates src/AvantiPS/Catalog/endpoints.json from Avanti's OpenAPI document.

.DESCRIPTION
    The catalog holds facts about each operation (name, method, path, summary, tag, path and query parameters,
    whether it takes a body, changes data, or answers binary content), one operation per line so diffs stay
    readable. It deliberately holds no descriptions, examples or schemas: the document stays Avanti's.

    Two facts are not stated by the document in a machine-readable way and are decided here:
    - Read-only POSTs: Avanti documents /v1/Employees, /v1/Reporter and /v1/AttendanceData as queries sent with
      POST; every other PUT, POST and DELETE changes data.
    - Paging: an operation pages when it takes both skip and take, as query parameters or as properties of its JSON
      request body (POST /v1/Employees). Its items are the answer itself when the answer is an array, else the one
      array property of the answer object (employees), and an integer property named total, when there is one, is
      the total count. An operation that takes only take (no skip) cannot be paged; it is marked "take".
    - Binary answers: 200 content types of which none is text (JSON, XML, text/*), or (the document declares these as JSON without a
      schema) a GET whose summary names a PDF, photo or logo and whose 200 answer has no schema.
#>
[CmdletBinding()]
param(
    [string] $Document = (Join-Path $PSScriptRoot '../../shared/avanti-api/main.v1.json'),
    [string] $OutFile = (Join-Path $PSScriptRoot '../src/AvantiPS/Catalog/endpoints.json')
)

$ErrorActionPreference = 'Stop'
# The document is read as hashtables whose optional keys (requestBody, format, ...) are often absent; build.ps1's
# strict mode would make each absent key an error.
Set-StrictMode -Off
if (-not (Test-Path $Document)) { throw "Avanti's OpenAPI document is not at $Document (expected ../shared/avanti-api/main.v1.json beside the repository)." }

$readOnlyPosts = '/v1/Employees', '/v1/Reporter', '/v1/AttendanceData'
$api = Get-Content -Raw $Document | ConvertFrom-Json -AsHashtable

function Resolve-SchemaRef([string] $Ref) {
    if ($Ref -notmatch '#/components/schemas/(?<name>[^/]+)$') { throw "Catalog: cannot resolve the schema reference $Ref." }
    $schema = $api.components.schemas[$Matches.name]
    if (-not $schema) { throw "Catalog: the schema $Ref is not in the document." }
    $schema
}

function Get-ParameterType([hashtable] $Schema) {
    if (-not $Schema) { return 'string' }
    # A parameter typed by a shared schema (postType: PoolRequestType, an int32 enum) has the type of that schema.
    if ($Schema['$ref']) { return Get-ParameterType (Resolve-SchemaRef $Schema['$ref']) }
    $type = if ($Schema['type']) { $Schema.type } else { 'string' }
    if ($type -eq 'array' -and $Schema['items']) { return (Get-ParameterType $Schema.items) + '[]' }
    if ($Schema['format'] -and $type -ne 'string') { return $Schema.format }
    if ($Schema['format'] -in 'date-time', 'date', 'uuid') { return $Schema.format }
    $type
}

function Resolve-Schema([hashtable] $Schema) {
    if ($Schema -and $Schema['$ref']) { return $api.components.schemas[($Schema['$ref'] -split '/')[-1]] }
    $Schema
}

# How an operation pages (see the description), or $null when it does not.
function Get-Paging([string[]] $QueryNames, [hashtable] $Op, [hashtable] $Ok) {
    $body = $Op['requestBody']
    $bodySchema = if ($body -and $body.content['application/json']) { Resolve-Schema $body.content['application/json']['schema'] }
    $bodyNames = @(if ($bodySchema -and $bodySchema['properties']) { $bodySchema.properties.Keys })
    $by = if ('skip' -in $QueryNames -and 'take' -in $QueryNames) { 'query' }
    elseif ('skip' -in $bodyNames -and 'take' -in $bodyNames) { 'body' }
    elseif ('take' -in $QueryNames) { 'take' }
    if (-not $by) { return $null }
    $answer = if ($Ok -and $Ok['content'] -and $Ok.content['application/json']) { Resolve-Schema $Ok.content['application/json']['schema'] }
    $items = $null
    $total = $null
    if ($answer -and $answer['type'] -ne 'array' -and $answer['properties']) {
        $arrays = @($answer.properties.Keys | Where-Object { $answer.properties[$_]['type'] -eq 'array' })
        if ($arrays.Count -eq 1) { $items = $arrays[0] }
        if ($answer.properties['total'] -and $answer.properties['total']['type'] -eq 'integer') { $total = 'total' }
    }
    [ordered]@{ by = $by; items = $items; total = $total }
}

$operations = foreach ($path in $api.paths.Keys) {
    $item = $api.paths[$path]
    $shared = @($item['parameters'] | Where-Object { $_ })
    foreach ($method in 'get', 'put', 'post', 'delete', 'patch') {
        $op = $item[$method]
        if (-not $op) { continue }
        $parameters = @($shared) + @($op['parameters'] | Where-Object { $_ })
        $pathParameters = @($parameters | Where-Object { $_.in -eq 'path' } | ForEach-Object name | Select-Object -Unique)
        $query = @($parameters | Where-Object { $_.in -eq 'query' } | ForEach-Object {
                [ordered]@{ name = $_.name; type = Get-ParameterType $_['schema']; required = [bool] $_['required'] }
            })
        $ok = $op.responses['200']
        if (-not $ok) { $ok = $op.responses['201'] }
        $contentTypes = @(if ($ok -and $ok['content']) { $ok.content.Keys })
        $hasSchema = [bool]($contentTypes | Where-Object { $ok.content[$_]['schema'] })
        # Text answers (JSON, XML, text/*) are not binary; an operation is binary when none of its types is text.
        $nonJson = $contentTypes.Count -gt 0 -and -not ($contentTypes | Where-Object { $_ -match 'json|xml|^text/' })
        $binary = $nonJson -or ($method -eq 'get' -and -not $hasSchema -and $op['summary'] -match '\b(PDF|Photo|Logo)\b')
        $paging = Get-Paging @($query | ForEach-Object { $_.name }) $op $ok
        $changes = $method -ne 'get' -and -not ($method -eq 'post' -and $path -in $readOnlyPosts)
        $entry = [ordered]@{
            name           = $op.operationId
            method         = $method.ToUpperInvariant()
            path           = $path
            summary        = $op['summary']
            tag            = @($op['tags'])[0]
            pathParameters = $pathParameters
            query          = $query
            body           = [bool] $op['requestBody']
            changesData    = $changes
            binary         = $binary
        }
        if ($paging) { $entry.paging = $paging }
        $entry
    }
}
$operations = @($operations | Sort-Object { $_.path }, { $_.method })

$lines = $operations | ForEach-Object { '    ' + (ConvertTo-Json $_ -Compress -Depth 5) }
$text = "{`n  `"source`": `"main.v1.json`",`n  `"title`": $(ConvertTo-Json ([string] $api.info.title) -Compress),`n  `"version`": $(ConvertTo-Json ([string] $api.info.version) -Compress),`n  `"operations`": [`n" + ($lines -join ",`n") + "`n  ]`n}`n"
[IO.File]::WriteAllText((Resolve-Path -LiteralPath (Split-Path $OutFile)).Path + [IO.Path]::DirectorySeparatorChar + (Split-Path $OutFile -Leaf), $text, [Text.UTF8Encoding]::new($false))
Write-Host "Catalog: $($operations.Count) operations written to $OutFile"
