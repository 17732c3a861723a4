# Every view of the Format.ps1xml rendered at 80, 100, 120 and 132 columns (and one less: a console leaves its last
# column free): nothing is wider than the console, no header wraps, no date is cut, no word of the log is broken,
# and the list views show free-form JSON as JSON, never as "{[States, System.Collections...]}".
BeforeDiscovery {
    $script:Widths = foreach ($w in 80, 100, 120, 132) { @{ Width = $w }; @{ Width = $w - 1 } }
}
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $PSStyle.OutputRendering = 'PlainText'
    $now = [datetimeoffset]::new(2026, 11, 30, 23, 59, 58, [timespan]::Zero)

    $run = [GlobusAutomate.GlobusRun]::new()
    $run.RunId = [guid]'0f0e0d0c-0b0a-4999-8888-777766665555'; $run.FlowId = [guid]::NewGuid(); $run.Status = 'SUCCEEDED'
    $run.Label = 'nightly transfer of the beamline 7 detector frames'; $run.FlowTitle = 'Two-hop transfer with checksum and cleanup'
    $run.StartTime = $now; $run.CompletionTime = $now.AddMinutes(3); $run.Tags = @('beamline', 'nightly')
    $run.Details = [ordered]@{ code = 'FlowSucceeded'; output = [ordered]@{ States = [ordered]@{ A = [ordered]@{ Type = 'Pass' } } } }
    $run.Code = 'FlowSucceeded'; $run.Description = 'The Flow run reached a successful completion state'
    $script:Run = $run

    $flow = [GlobusAutomate.GlobusFlow]::new()
    $flow.FlowId = [guid]::NewGuid(); $flow.Title = 'A flow with a rather long descriptive title for the table'
    $flow.UserRole = 'flow_administrator'; $flow.UpdatedAt = $now; $flow.CreatedAt = $now
    $flow.Definition = [ordered]@{ StartAt = 'Hello'; States = [ordered]@{ Hello = [ordered]@{ Type = 'Pass'; End = $true } } }
    $flow.InputSchema = [ordered]@{ type = 'object'; properties = [ordered]@{ echo_string = [ordered]@{ type = 'string' } } }
    $script:Flow = $flow

    $log = [GlobusAutomate.GlobusRunLogEntry]::new()
    $log.RunId = $run.RunId; $log.Time = $now; $log.Code = 'ActionCompleted'; $log.StateName = 'TransferFilesToArchive'
    $log.Description = 'State TransferFilesToArchive of type Action completed after the transfer task finished successfully'
    $log.Details = [ordered]@{ output = [ordered]@{ status = 'SUCCEEDED'; label = 'archive' } }
    $script:Log = $log

    $session = [GlobusAutomate.GlobusSession]::new()
    $session.Environment = 'custom'; $session.AuthenticationMethod = 'ClientCredential'; $session.ClientId = (Get-SeededClientId)
    $session.AuthUrl = 'http://127.0.0.1:45678/'; $session.FlowsUrl = 'http://127.0.0.1:45678/'; $session.ConnectedAt = $now
    $script:Session = $session

    function script:Render($InputObject, [string] $View, [int] $Width) {
        $text = if ($View -eq 'Table') { $InputObject, $InputObject | Format-Table | Out-String -Width $Width }
                else { $InputObject | Format-List | Out-String -Width $Width }
        @($text -split "`r?`n" | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ -ne '' })
    }

    function script:Assert-Table([string[]] $Lines, [int] $Width) {
        $Lines.Count | Should -Be 4 -Because "a header, a rule and two rows, each on one line at $Width columns:`n$($Lines -join "`n")"
        $Lines[1] | Should -Match '^-[- ]*$' -Because 'the header must not wrap'
        foreach ($line in $Lines) { $line.Length | Should -BeLessOrEqual $Width }
        # A date is either whole or not there at all.
        foreach ($m in [regex]::Matches(($Lines -join "`n"), '20\d\d-[^\s]*')) {
            $m.Value | Should -Match '^\d{4}-\d\d-\d\d$' -Because "no date may be cut at $Width columns: '$($m.Value)'"
        }
        ($Lines -join "`n") | Should -Not -Match '\d{4}-\d\d-\d\d (?!\d\d:\d\d:\d\d)' -Because 'a time must not be cut'
    }
}

Describe 'Table views at <Width> columns' -ForEach $script:Widths {
    It 'GlobusRun keeps RunId, Status and StartTime whole' {
        $lines = Render $script:Run Table $Width
        Assert-Table $lines $Width
        $lines[0] | Should -Match '^RunId\s+Status\s+StartTime'
        $lines[2] | Should -Match '^0f0e0d0c-0b0a-4999-8888-777766665555 SUCCEEDED \d{4}-\d\d-\d\d \d\d:\d\d:\d\d'
        if ($Width -ge 119) { $lines[2] | Should -Match 'Two-hop transfer' }
    }

    It 'GlobusFlow keeps FlowId and UpdatedAt whole' {
        $lines = Render $script:Flow Table $Width
        Assert-Table $lines $Width
        $lines[0] | Should -Match '^FlowId\s+UpdatedAt\s+Title'
        if ($Width -ge 106) { $lines[2] | Should -Match 'flow_administrator$' }
    }

    It 'GlobusRunLogEntry cuts the description with an ellipsis, never in the middle of a word on a new line' {
        $lines = Render $script:Log Table $Width
        Assert-Table $lines $Width
        $lines[2] | Should -Match 'ActionCompleted\s+TransferFilesTo'
        $description = $lines[2].Substring($lines[0].IndexOf('Description'))
        $script:Log.Description.StartsWith($description.TrimEnd('…')) | Should -BeTrue -Because "'$description' is the start of the description"
    }

    It 'GlobusSession fits' {
        $lines = Render $script:Session Table $Width
        Assert-Table $lines $Width
        $lines[2] | Should -Match '^custom\s+ClientCredential\s+c0ffee00-'
    }
}

Describe 'List views at <Width> columns' -ForEach $script:Widths {
    It 'GlobusFlow shows Definition and InputSchema as JSON' {
        $text = (Render $script:Flow List $Width) -join "`n"
        $text | Should -Not -Match 'System\.Collections|\{\['
        $text | Should -Match '"StartAt": "Hello"'
        $text | Should -Match '"echo_string": \{'
    }

    It 'GlobusRun shows Details as JSON' {
        $text = (Render $script:Run List $Width) -join "`n"
        $text | Should -Not -Match 'System\.Collections|\{\['
        $text | Should -Match '"code": "FlowSucceeded"'
        $text | Should -Match 'Tags\s+: beamline, nightly'
    }

    It 'GlobusRunLogEntry shows the whole description and Details as JSON' {
        $lines = Render $script:Log List $Width
        $text = $lines -join ' '
        $text | Should -Not -Match 'System\.Collections|\{\['
        # Every word of the description is whole on some line (a wrap never cuts one).
        $words = ($lines -join ' ') -split '\s+'
        foreach ($word in $script:Log.Description -split ' ') { $words | Should -Contain $word }
        $text | Should -Match '"label": "archive"'
    }

    It 'GlobusSession lists its URLs' {
        $text = (Render $script:Session List $Width) -join "`n"
        $text | Should -Match 'FlowsUrl\s+: http://127\.0\.0\.1:45678/'
    }
}
