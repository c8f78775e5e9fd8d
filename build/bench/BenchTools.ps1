# Pure helpers of build/Bench.ps1 (dot-sourced there and by tests/Bench.Tests.ps1); nothing here runs on its own.

function Get-Median {
    param([double[]] $Values)
    if (-not $Values) { return $null }
    $s = @($Values | Sort-Object)
    if ($s.Count % 2) { $s[($s.Count - 1) / 2] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 }
}

function Format-Size {
    param([string] $JobName, [long] $Size)
    if ($JobName -eq 'object') { return "$Size MB object" }
    $text = if ($Size -ge 1000000 -and $Size % 1000000 -eq 0) { "$($Size / 1000000)M" } elseif ($Size -ge 1000 -and $Size % 1000 -eq 0) { "$($Size / 1000)k" } else { "$Size" }
    "$text rows"
}

function Format-Ratio {
    # How many times faster this contender is than the reference (reference time / this time); blank without both.
    param($Reference, $This)
    if ($null -eq $Reference -or $null -eq $This -or $This -le 0) { return '' }
    '{0:N2}x' -f ($Reference / $This)
}

function Compare-CsvCheck {
    # Lists how a contender's CSV differs from the reference's: columns lost or added, record count, BOM, and per
    # column the sampled values that differ (with one example). Returns strings; none means they agree.
    param([string] $Name, $Check, [string] $ReferenceName, $Reference)
    $refHeader = @($Reference.header)
    $header = @($Check.header)
    $lost = @($refHeader | Where-Object { $_ -cnotin $header })
    $added = @($header | Where-Object { $_ -cnotin $refHeader })
    if ($lost) { "$Name lost column(s) $($lost -join ', ') that $ReferenceName writes" }
    if ($added) { "$Name has column(s) $($added -join ', ') that $ReferenceName does not write" }
    if ($Check.records -ne $Reference.records) { "$Name has $($Check.records) records, $ReferenceName $($Reference.records)" }
    if ($Check.bom -ne $Reference.bom) { "$Name $(if ($Check.bom) { 'starts' } else { 'does not start' }) with a UTF-8 BOM, unlike $ReferenceName" }
    if (($header -join ',') -cne ($refHeader -join ',') -and -not $lost -and -not $added) {
        "$Name has the same columns in another order"
    }
    $indexes = @($Reference.samples.PSObject.Properties.Name)
    foreach ($column in $refHeader) {
        $ri = [array]::IndexOf($refHeader, $column)
        $ci = [array]::IndexOf($header, $column)
        if ($ci -lt 0) { continue }
        $differ = 0
        $example = $null
        foreach ($i in $indexes) {
            $refRecord = @($Reference.samples.$i)
            $record = if ($Check.samples.PSObject.Properties[$i]) { @($Check.samples.$i) } else { @() }
            $a = if ($ri -lt $refRecord.Count) { $refRecord[$ri] } else { $null }
            $b = if ($ci -lt $record.Count) { $record[$ci] } else { $null }
            if ($a -cne $b) {
                $differ++
                if (-not $example) { $example = "'$a' vs '$b'" }
            }
        }
        if ($differ) { "$Name column ${column}: $differ of $($indexes.Count) sampled records differ from $ReferenceName, e.g. $example" }
    }
}
