# Help in a real console: Get-Help -Full, -Detailed, -Examples and about_GlobusAutomate printed by pwsh in a tmux pane
# of 80, 100, 120 and 132 columns keep every word whole. PowerShell wraps help at spaces only under an English,
# French, German, Italian, Portuguese or Spanish culture; under any other (the C/POSIX locale's invariant culture here)
# it cuts each line at the edge of the console, so the help files are laid out to fit 80 columns themselves. The words
# each console shows are compared with the words of the same help rendered 2000 columns wide.
BeforeDiscovery {
    $script:Consoles = @(
        foreach ($w in 80, 100, 120, 132) { @{ Width = $w; Lang = 'C.UTF-8'; Views = $(if ($w -eq 80) { 'Full', 'Detailed', 'Examples' } else { , 'Full' }) } }
        @{ Width = 80; Lang = 'en_US.UTF-8'; Views = @('Full') }
    )
}
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:tmux = Get-Command tmux -ErrorAction Stop

    function script:Invoke-HelpInConsole([int] $Width, [string] $Lang, [string[]] $Views) {
        <# Prints the help of every exported cmdlet (in each view) and the about topic in a tmux pane $Width columns
           wide, each under a transcript, and returns what the console showed next to a 2000-column rendering. #>
        $name = 'help-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $dir = Join-Path ([IO.Path]::GetTempPath()) $name
        $null = New-Item -ItemType Directory -Path $dir
        $script = Join-Path $dir 'show.ps1'
        Set-Content -Path $script -Encoding utf8 -Value @"
Import-Module '$(Get-BuiltModuleManifest)'
`$views = '$($Views -join "','")'
`$items = @(foreach (`$n in @((Get-Module GlobusAutomate).ExportedCmdlets.Keys | Sort-Object)) { foreach (`$v in `$views) { @{ Name = `$n; View = `$v } } }) + @{ Name = 'about_GlobusAutomate'; View = '' }
`$t = Join-Path '$dir' 'transcript.txt'
`$results = foreach (`$i in `$items) {
    `$splat = @{ Name = `$i.Name }; if (`$i.View) { `$splat[`$i.View] = `$true }
    Start-Transcript -Path `$t -Force | Out-Null
    Get-Help @splat | Out-Default
    Stop-Transcript | Out-Null
    [pscustomobject]@{ Name = `$i.Name; View = `$i.View; Shown = (Get-Content -Raw `$t); Wide = (Get-Help @splat | Out-String -Width 2000) }
}
[pscustomobject]@{ Width = `$Host.UI.RawUI.WindowSize.Width; Culture = "`$([cultureinfo]::CurrentCulture.Name)"; Results = @(`$results) } |
    ConvertTo-Json -Depth 4 | Set-Content (Join-Path '$dir' 'result.json')
"@
        $pwsh = Get-PwshCommand
        $command = (@($pwsh.FilePath) + @($pwsh.Prefix) + @('-NoProfile', '-NoLogo', '-File', $script) | ForEach-Object { "'$_'" }) -join ' '
        try {
            $file = Join-Path $dir 'result.json'
            & $script:tmux.Source new-session -d -s $name -x $Width -y 50 "LANG=$Lang LC_ALL=$Lang $command; sleep 5"
            $deadline = [DateTime]::UtcNow.AddMinutes(10)
            do { Start-Sleep -Seconds 1 } until ((Test-Path $file) -or [DateTime]::UtcNow -gt $deadline)
            Start-Sleep -Milliseconds 500
            if (-not (Test-Path $file)) { throw "The console of $Width columns wrote no result: $((& $script:tmux.Source capture-pane -p -t $name) -join "`n")" }
            Get-Content -Raw $file | ConvertFrom-Json
        } finally {
            & $script:tmux.Source kill-session -t $name 2>$null
            Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    function script:Split-HelpSections([string[]] $Lines) {
        <# Section heading (NAME, SYNTAX, PARAMETERS, ...) -> its words. #>
        $sections = [ordered]@{}
        $current = '(top)'
        foreach ($line in $Lines) {
            if ($line -cmatch '^[A-Z][A-Z ]+$') { $current = $line.Trim(); continue }
            if (-not $sections.Contains($current)) { $sections[$current] = [System.Collections.Generic.List[string]]::new() }
            foreach ($word in ($line -split '\s+' | Where-Object { $_ })) { $sections[$current].Add($word) }
        }
        $sections
    }

    function script:Find-BrokenWords([string] $Shown, [string] $Wide, [bool] $CutsLines) {
        <# The words the console cut in two: a word of the wide rendering that the console shows as two or more. #>
        $lines = @($Shown -replace "`r", '' -split "`n")
        $stars = @(for ($k = 0; $k -lt $lines.Count; $k++) { if ($lines[$k] -match '^\*{10,}') { $k } })
        # A transcript: a header between two rules of stars, what the console showed, a footer between two more.
        $body = $lines[($stars[1] + 1)..($stars[-2] - 1)] | Where-Object { $_ -notmatch '^Transcript started' }
        $narrow = Split-HelpSections $body
        $whole = Split-HelpSections @($Wide -split "`n")
        $broken = [System.Collections.Generic.List[string]]::new()
        foreach ($section in $whole.Keys) {
            # Under a culture PowerShell cuts in, the SYNTAX lines it builds itself from the parameter list, its own
            # <CommonParameters> sentence and its REMARKS ("To see the examples, type ...") cannot be laid out by
            # a help file; everything else must read whole.
            if ($CutsLines -and $section -in 'SYNTAX', 'REMARKS') { continue }
            $a = @($narrow[$section]); $b = @($whole[$section])
            if ($CutsLines -and $section -eq 'PARAMETERS') {
                $cut = { param($w) $i = [array]::IndexOf($w, '<CommonParameters>'); if ($i -ge 0) { $w[0..($i - 1)] } else { $w } }
                $a = @(& $cut $a); $b = @(& $cut $b)
            }
            $i = 0; $j = 0
            while ($i -lt $a.Count -and $j -lt $b.Count) {
                if ($a[$i] -ceq $b[$j]) { $i++; $j++; continue }
                $joined = $a[$i]; $k = $i
                while ($joined.Length -lt $b[$j].Length -and $k + 1 -lt $a.Count) { $k++; $joined += $a[$k] }
                $broken.Add("$section`: '$($b[$j])' shown as '$($a[$i..$k] -join ' / ')'")
                if ($joined -cne $b[$j]) { $broken.Add("$section`: the console shows other words from '$($b[$j])' on"); break }
                $i = $k + 1; $j++
            }
            if ($broken.Count -eq 0 -and $a.Count -ne $b.Count) { $broken.Add("$section`: $($a.Count) words shown, $($b.Count) in the help") }
        }
        , $broken.ToArray()
    }
}

Describe 'Help in a <Width>-column console (<Lang>)' -ForEach $script:Consoles {
    BeforeAll {
        $script:run = Invoke-HelpInConsole -Width $Width -Lang $Lang -Views $Views
        $script:cutsLines = $script:run.Culture -notmatch '^(en|fr|de|it|pt|es)(-|$)'
    }

    It 'is a real console of that width and culture' {
        $script:run.Width | Should -Be $Width
        if ($Lang -like 'C.*') { $script:cutsLines | Should -BeTrue -Because "the C locale is the culture in which PowerShell cuts lines ($($script:run.Culture))" }
        else { $script:run.Culture | Should -Be 'en-US' }
        @($script:run.Results).Count | Should -BeGreaterThan 45
    }

    It 'shows every word of every cmdlet''s help and of about_GlobusAutomate whole' {
        $problems = foreach ($r in $script:run.Results) {
            foreach ($p in (Find-BrokenWords -Shown $r.Shown -Wide $r.Wide -CutsLines $script:cutsLines)) { "$($r.Name) $($r.View) -> $p" }
        }
        @($problems).Count | Should -Be 0 -Because "no word may be cut at $Width columns:`n$(@($problems | Select-Object -First 30) -join "`n")"
    }

    # Once, in the console where PowerShell cuts its own lines (defined only there, so no run counts as skipped).
    if ($Width -eq 80 -and $Lang -like 'C.*') {
        It 'the comparison can fail: it finds the words PowerShell cuts in its own SYNTAX line under the C locale' {
            $r = $script:run.Results | Where-Object { $_.Name -eq 'Invoke-GlobusFlow' -and $_.View -eq 'Full' }
            $found = Find-BrokenWords -Shown $r.Shown -Wide $r.Wide -CutsLines $false
            @($found | Where-Object { $_ -like 'SYNTAX:*' }).Count | Should -BeGreaterThan 0
        }
    }
}
