# Turns platyPS (v1 schema 2.0.0) markdown help into the MAML that Get-Help reads, and about_*.help.md into
# about_*.help.txt, without platyPS. The cmdlets' real parameters come from the built module (imported in a fresh
# pwsh), so syntax, types, positions and pipeline binding in the help always match the code; the markdown supplies
# the words. Disagreement between the two fails the build.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../BuildTools.psm1')

$script:MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$script:CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
$script:MsHelpNs = 'http://msdn.microsoft.com/mshelp'

# Written for -WhatIf/-Confirm when a help file does not describe them (platyPS writes the same words).
$script:OptionalCommonDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Test-Placeholder([string] $Text) {
    # platyPS's New-MarkdownHelp leaves {{ Fill in the ... }} where an author has not written anything yet.
    [string]::IsNullOrWhiteSpace($Text) -or $Text -match '\{\{\s*(Fill|Add|Insert)\b.*\}\}'
}

function ConvertTo-Paragraphs {
    <#
    .SYNOPSIS
    Splits markdown text into paragraphs: blank lines separate them, list items start a new one, fenced code is kept
    as one paragraph with its line breaks.
    #>
    param([string[]] $Lines)
    $paras = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    $fence = [System.Collections.Generic.List[string]]::new()
    $flush = {
        if ($current.Count) { $paras.Add(($current -join ' ').Trim()); $current.Clear() }
    }
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') {
            if ($inFence) {
                $paras.Add(($fence -join "`n")); $fence.Clear(); $inFence = $false
            } else {
                & $flush; $inFence = $true
            }
            continue
        }
        if ($inFence) { $fence.Add($line); continue }
        if ([string]::IsNullOrWhiteSpace($line)) { & $flush; continue }
        if ($line -match '^\s*([-*+]|\d+\.)\s+') { & $flush }
        $current.Add($line.Trim())
    }
    if ($inFence -and $fence.Count) { $paras.Add(($fence -join "`n")) }
    & $flush
    , @($paras | Where-Object { $_ -ne '' })
}

function Split-MarkdownSections {
    # Returns an ordered dictionary heading -> lines for headings of the given level ('##' or '###').
    param([string[]] $Lines, [string] $Level)
    $sections = [ordered]@{}
    $name = $null
    $body = $null
    $inFence = $false
    $pattern = '^' + [regex]::Escape($Level) + '\s+(.+?)\s*$'
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match $pattern) {
            if ($null -ne $name) { $sections[$name] = $body.ToArray() }
            $name = $Matches[1]
            $body = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $body) { $body.Add($line) }
    }
    if ($null -ne $name) { $sections[$name] = $body.ToArray() }
    $sections
}

function ConvertFrom-PlatyPSMarkdown {
    <#
    .SYNOPSIS
    Parses one platyPS cmdlet help file into an object: Name, Synopsis, Description, Examples, Parameters, Inputs,
    Outputs, Notes, Links.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $text = (Get-Content -Raw -Path $Path) -replace "`r`n", "`n"
    $lines = $text -split "`n"
    $start = 0
    if ($lines.Count -and $lines[0] -match '^---\s*$') {
        for ($i = 1; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^---\s*$') { $start = $i + 1; break } }
    }
    $lines = $lines[$start..($lines.Count - 1)]
    $title = $lines | Where-Object { $_ -match '^#\s+\S' } | Select-Object -First 1
    if (-not $title) { throw "$Path has no '# <Cmdlet-Name>' title line." }
    $name = ($title -replace '^#\s+', '').Trim()
    $sections = Split-MarkdownSections -Lines $lines -Level '##'
    $get = { param($key) if ($sections.Contains($key)) { , $sections[$key] } else { , @() } }

    $examples = foreach ($entry in (Split-MarkdownSections -Lines (& $get 'EXAMPLES') -Level '###').GetEnumerator()) {
        $intro = [System.Collections.Generic.List[string]]::new()
        $code = [System.Collections.Generic.List[string]]::new()
        $remarks = [System.Collections.Generic.List[string]]::new()
        $inFence = $false; $seenCode = $false; $block = [System.Collections.Generic.List[string]]::new(); $isScript = $false
        foreach ($line in $entry.Value) {
            if ($line -match '^\s*```\s*(\w*)') {
                if ($inFence) {
                    # PowerShell blocks are laid out for 80 columns; sample output is shown as written.
                    $text = $block -join "`n"
                    $code.Add($(if ($isScript) { ConvertTo-WrappedCode -Code $text -Width $script:TextWidth } else { $text }))
                    $block.Clear(); $inFence = $false; $seenCode = $true
                }
                else { $inFence = $true; $isScript = $Matches[1] -match '^(powershell|pwsh|ps1?)$' }
                continue
            }
            if ($inFence) { $block.Add($line) }
            elseif ($seenCode) { $remarks.Add($line) }
            else { $intro.Add($line) }
        }
        [pscustomobject]@{
            Title        = $entry.Key
            Introduction = ConvertTo-Paragraphs $intro
            Code         = ($code -join "`n`n")
            Remarks      = ConvertTo-Paragraphs $remarks
        }
    }

    $parameters = [ordered]@{}
    foreach ($entry in (Split-MarkdownSections -Lines (& $get 'PARAMETERS') -Level '###').GetEnumerator()) {
        if ($entry.Key -match '^CommonParameters$') { continue }
        $pname = $entry.Key -replace '^-', ''
        $descLines = [System.Collections.Generic.List[string]]::new()
        $yaml = [ordered]@{}
        $inYaml = $false; $inOther = $false
        foreach ($line in $entry.Value) {
            if ($line -match '^\s*```\s*yaml\s*$' -and -not $inOther) { $inYaml = $true; continue }
            if ($inYaml) {
                if ($line -match '^\s*```') { $inYaml = $false; continue }
                if ($line -match '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { $yaml[$Matches[1]] = $Matches[2] }
                continue
            }
            if ($line -match '^\s*```') { $inOther = -not $inOther }
            $descLines.Add($line)
        }
        $parameters[$pname] = [pscustomobject]@{
            Name        = $pname
            Description = ConvertTo-Paragraphs $descLines
            Metadata    = $yaml
        }
    }

    $typeEntries = {
        param($key)
        foreach ($entry in (Split-MarkdownSections -Lines (& $get $key) -Level '###').GetEnumerator()) {
            [pscustomobject]@{ Type = $entry.Key; Description = ConvertTo-Paragraphs $entry.Value }
        }
    }

    $links = foreach ($line in (& $get 'RELATED LINKS')) {
        foreach ($m in [regex]::Matches($line, '\[([^\]]+)\]\(([^)]*)\)')) {
            [pscustomobject]@{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value }
        }
    }

    [pscustomobject]@{
        Path        = $Path
        Name        = $name
        Synopsis    = ConvertTo-Paragraphs (& $get 'SYNOPSIS')
        Description = ConvertTo-Paragraphs (& $get 'DESCRIPTION')
        Examples    = @($examples)
        Parameters  = $parameters
        Inputs      = @(& $typeEntries 'INPUTS')
        Outputs     = @(& $typeEntries 'OUTPUTS')
        Notes       = ConvertTo-Paragraphs (& $get 'NOTES')
        Links       = @($links)
    }
}

function Test-HelpAgainstCode {
    <#
    .SYNOPSIS
    Lists every way the markdown help and the built module disagree. An empty result means the help is complete.
    #>
    param([object[]] $Commands, [hashtable] $Docs, [string] $DocsDirectory)
    $problems = [System.Collections.Generic.List[string]]::new()
    $codeNames = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    foreach ($cmd in $Commands) {
        $null = $codeNames.Add($cmd.Name)
        if (-not $Docs.ContainsKey($cmd.Name)) {
            $problems.Add("$($cmd.Name): no help file. Write $(Join-Path $DocsDirectory "$($cmd.Name).md") (platyPS markdown).")
            continue
        }
        $doc = $Docs[$cmd.Name]
        $file = Split-Path $doc.Path -Leaf
        if ($doc.Name -ne $cmd.Name) { $problems.Add("${file}: its title is '# $($doc.Name)', but the cmdlet is '$($cmd.Name)'.") }
        if (-not $doc.Synopsis -or (Test-Placeholder ($doc.Synopsis -join ' '))) { $problems.Add("${file}: the SYNOPSIS section is empty.") }
        if (-not $doc.Description -or (Test-Placeholder ($doc.Description -join ' '))) { $problems.Add("${file}: the DESCRIPTION section is empty.") }
        $realExamples = @($doc.Examples | Where-Object { -not (Test-Placeholder $_.Code) })
        if (-not $realExamples) { $problems.Add("${file}: no example with code under EXAMPLES (add '### Example 1: ...' with a powershell code block).") }
        $codeParams = @{}
        foreach ($p in $cmd.Parameters) { $codeParams[$p.Name] = $p }
        foreach ($p in $cmd.Parameters) {
            $described = $doc.Parameters.Contains($p.Name)
            if (-not $described -and $p.IsOptionalCommon) { continue }   # -WhatIf/-Confirm get the standard words
            if (-not $described) {
                $problems.Add("${file}: parameter -$($p.Name) exists in the code but is not described (add '### -$($p.Name)' under PARAMETERS).")
            } elseif (Test-Placeholder ($doc.Parameters[$p.Name].Description -join ' ')) {
                $problems.Add("${file}: parameter -$($p.Name) has an empty description.")
            }
        }
        foreach ($name in $doc.Parameters.Keys) {
            if (-not $codeParams.ContainsKey($name)) {
                $problems.Add("${file}: describes parameter -$name, which $($cmd.Name) does not have (remove it or fix its name).")
            }
        }
    }
    foreach ($name in $Docs.Keys) {
        if (-not $codeNames.Contains($name)) {
            $problems.Add("$(Split-Path $Docs[$name].Path -Leaf): describes '$name', which the module does not export (remove the file or export the cmdlet).")
        }
    }
    , $problems.ToArray()
}

function Get-MetadataDrift {
    <#
    .SYNOPSIS
    Lists where the yaml block of a described parameter disagrees with the code (type, required, position, aliases,
    pipeline input). The MAML is written from the code, so these are warnings about the markdown, not errors.
    #>
    param([object[]] $Commands, [hashtable] $Docs)
    $drift = [System.Collections.Generic.List[string]]::new()
    $norm = { param([string] $t) ($t -replace '^System\.', '' -replace '^Management\.Automation\.', '' -replace '\s', '').ToLowerInvariant() }
    foreach ($cmd in $Commands) {
        if (-not $Docs.ContainsKey($cmd.Name)) { continue }
        $doc = $Docs[$cmd.Name]
        $file = Split-Path $doc.Path -Leaf
        foreach ($p in $cmd.Parameters) {
            if (-not $doc.Parameters.Contains($p.Name)) { continue }
            $meta = $doc.Parameters[$p.Name].Metadata
            $inSets = @($cmd.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $p.Name })
            if ($meta.Contains('Type') -and (& $norm $meta['Type']) -ne (& $norm $p.Type)) {
                $drift.Add("${file}: -$($p.Name) is documented as Type '$($meta['Type'])' but is '$($p.Type)'.")
            }
            if ($meta.Contains('Aliases') -and $meta['Aliases'] -notmatch '^\s*$') {
                $documented = @($meta['Aliases'] -split '\s*,\s*' | Where-Object { $_ -and $_ -ne 'None' } | Sort-Object)
                $actual = @($p.Aliases | Sort-Object)
                if (($documented -join ',') -ne ($actual -join ',')) {
                    $drift.Add("${file}: -$($p.Name) is documented with Aliases '$($meta['Aliases'])' but has '$($actual -join ', ')'.")
                }
            }
            if ($meta.Contains('Required') -and $meta['Required'] -match '^(True|False)$') {
                $anyMandatory = [bool]($inSets | Where-Object IsMandatory)
                $allMandatory = $inSets.Count -gt 0 -and -not ($inSets | Where-Object { -not $_.IsMandatory })
                $documented = $meta['Required'] -eq 'True'
                if (($documented -and -not $anyMandatory) -or (-not $documented -and $allMandatory)) {
                    $drift.Add("${file}: -$($p.Name) is documented as Required: $($meta['Required']), the code says otherwise.")
                }
            }
        }
    }
    , $drift.ToArray()
}

# Get-Help writes at most (console width - 1) columns a line, and it wraps at spaces only when the current culture is
# English, French, German, Italian, Portuguese or Spanish; under any other culture (the invariant culture of a C or
# POSIX locale among them) it cuts each line at the console's edge, in the middle of a word. So the MAML is laid out
# for the narrowest console that must read well: every line of text, code and titles fits in 80 columns after the
# indentation Get-Help gives it, and a wider console shows the same lines.
$script:HelpColumns = 79
$script:TextWidth = $script:HelpColumns - 4      # description, synopsis, example introductions, remarks, titles, code
$script:NestedTextWidth = $script:HelpColumns - 8 # parameter, input, output descriptions and notes

function ConvertTo-WrappedText {
    <#
    .SYNOPSIS
    Wraps one paragraph at spaces to lines of at most $Width characters; a list item's further lines hang under its
    text. A paragraph with line breaks (fenced code) is laid out as code instead.
    #>
    param([string] $Text, [int] $Width)
    if ($Text.Contains("`n")) { return ConvertTo-WrappedCode -Code $Text -Width $Width }
    $hang = if ($Text -match '^(([-*+]|\d+\.)\s+)') { ' ' * $Matches[1].Length } else { '' }
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    foreach ($word in ($Text -split ' ' | Where-Object { $_ -ne '' })) {
        $prefix = if ($lines.Count) { $hang } else { '' }
        if ($line.Length -gt 0 -and $prefix.Length + $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($prefix + $line); $line = $word
        } elseif ($line.Length -gt 0) { $line += ' ' + $word }
        else { $line = $word }
    }
    if ($line) { $lines.Add($(if ($lines.Count) { $hang } else { '' }) + $line) }
    $lines -join "`n"
}

function ConvertTo-WrappedCode {
    <#
    .SYNOPSIS
    Breaks PowerShell code lines longer than $Width between two tokens: after a pipe with a plain line break, elsewhere
    with a backtick line continuation, the next line indented by four more spaces. Code that would read differently
    broken (the tokens change) or text that is not code keeps its lines; Find-LongHelpLine reports what is still too
    long.
    #>
    param([string] $Code, [int] $Width)
    $lines = $Code -split "`n"
    if (-not ($lines | Where-Object { $_.Length -gt $Width })) { return $Code }
    $tokens = $null; $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
    $out = [System.Collections.Generic.List[string]]::new()
    for ($n = 0; $n -lt $lines.Count; $n++) {
        $line = $lines[$n]
        if ($line.Length -le $Width) { $out.Add($line); continue }
        # Gaps between two tokens on this line, as column offsets into the line.
        $onLine = @($tokens | Where-Object { $_.Extent.StartLineNumber -eq $n + 1 -and $_.Extent.EndLineNumber -eq $n + 1 -and
            $_.Kind -ne 'NewLine' -and $_.Kind -ne 'EndOfInput' })
        $gaps = [System.Collections.Generic.List[int]]::new()
        for ($i = 0; $i -lt $onLine.Count - 1; $i++) {
            $end = $onLine[$i].Extent.EndColumnNumber - 1
            # Never before a comment: a trailing comment belongs on its line (move a long one above the code instead).
            if ($onLine[$i + 1].Extent.StartColumnNumber - 1 -gt $end -and $onLine[$i + 1].Kind -ne 'Comment') { $gaps.Add($end) }
        }
        $indent = [regex]::Match($line, '^\s*').Value + '    '
        $current = ''; $from = 0
        foreach ($cut in @($gaps) + $line.Length) {
            $piece = $line.Substring($from, $cut - $from)
            if ($current -and ($current.Length + $piece.Length + 2) -gt $Width) {
                $out.Add($(if ($current.EndsWith('|')) { $current } else { $current + ' `' }))
                $current = $indent + $piece.TrimStart()
            } else { $current += $piece }
            $from = $cut
        }
        $out.Add($current)
    }
    $wrapped = $out -join "`n"
    $after = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput($wrapped, [ref] $after, [ref] $errors)
    $significant = { param($list) @($list | Where-Object { $_.Kind -notin 'NewLine', 'LineContinuation', 'EndOfInput' } | ForEach-Object Text) -join "`0" }
    if ((& $significant $tokens) -ne (& $significant $after)) { return $Code }
    $wrapped
}

function Find-LongHelpLine {
    <# The lines of a help text longer than the width they are laid out for: each would be cut in a narrow console. #>
    param([string] $Text, [int] $Width)
    @($Text -split "`n" | Where-Object { $_.Length -gt $Width })
}

function Test-HelpLayout {
    <#
    .SYNOPSIS
    The lines of a MAML file that are still too long for an 80-column console after the layout above: each names the
    command, the section and the line, so the help source can be reworded (a long word, a trailing comment, output).
    #>
    param([string] $MamlPath)
    [xml] $maml = Get-Content -Raw -Path $MamlPath
    $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
    $ns.AddNamespace('maml', $script:MamlNs); $ns.AddNamespace('command', $script:CommandNs); $ns.AddNamespace('dev', $script:DevNs)
    $problems = [System.Collections.Generic.List[string]]::new()
    foreach ($node in $maml.SelectNodes('//maml:para | //dev:code | //maml:title', $ns)) {
        $nested = $node.SelectSingleNode('ancestor::command:parameter | ancestor::command:inputType | ancestor::command:returnValue | ancestor::maml:alert', $ns)
        $width = if ($nested) { $script:NestedTextWidth } else { $script:TextWidth }
        foreach ($line in (Find-LongHelpLine -Text $node.InnerText -Width $width)) {
            $command = $node.SelectSingleNode('ancestor::command:command/command:details/command:name', $ns).InnerText
            $problems.Add("${command}: $($node.LocalName) line of $($line.Length) characters (at most $width fit in 80 columns): $line")
        }
    }
    , $problems.ToArray()
}

function Write-Paras([System.Xml.XmlWriter] $W, [string[]] $Paras, [int] $Width = $script:TextWidth) {
    foreach ($p in @($Paras)) { $W.WriteElementString('maml', 'para', $script:MamlNs, (ConvertTo-WrappedText -Text $p -Width $Width)) }
}

function Write-MamlDescription([System.Xml.XmlWriter] $W, [string[]] $Paras, [int] $Width = $script:TextWidth) {
    $W.WriteStartElement('maml', 'description', $script:MamlNs)
    Write-Paras $W $Paras $Width
    $W.WriteEndElement()
}

function Write-MamlTypeList([System.Xml.XmlWriter] $W, [string] $ListName, [string] $ItemName, [object[]] $Entries) {
    <# The INPUTS or OUTPUTS section: each type with its description. #>
    $W.WriteStartElement('command', $ListName, $script:CommandNs)
    foreach ($entry in @($Entries)) {
        $W.WriteStartElement('command', $ItemName, $script:CommandNs)
        $W.WriteStartElement('dev', 'type', $script:DevNs)
        $W.WriteElementString('maml', 'name', $script:MamlNs, $entry.Type)
        $W.WriteEndElement()
        Write-MamlDescription $W $entry.Description $script:NestedTextWidth
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Get-ExampleTitle([string] $Title) {
    <# PowerShell's own dashed example title, with as many dashes as fit in the text width (every title but the first
       follows a space that Get-Help writes after the previous example's remarks). #>
    $dashes = [math]::Max(2, [math]::Min(26, [math]::Floor(($script:TextWidth - 1 - $Title.Length - 2) / 2)))
    $line = '-' * $dashes
    "$line $Title $line"
}

function Get-PipelineInputText($Parameter) {
    $kinds = @()
    if ($Parameter.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($Parameter.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $W, $SetParameter, $Parameter, $Doc, [switch] $InSyntax)
    $name = $Parameter.Name
    $docParam = if ($Doc.Parameters.Contains($name)) { $Doc.Parameters[$name] } else { $null }
    $description = if ($docParam) { $docParam.Description } elseif ($script:OptionalCommonDescriptions.ContainsKey($name)) { @($script:OptionalCommonDescriptions[$name]) } else { @() }
    $meta = if ($docParam) { $docParam.Metadata } else { @{} }
    $position = if ($null -eq $SetParameter -or $SetParameter.Position -lt 0) { 'named' } else { [string]$SetParameter.Position }
    $required = if ($SetParameter -and $SetParameter.IsMandatory) { 'true' } else { 'false' }
    $pipeline = if ($SetParameter) { Get-PipelineInputText $SetParameter } else { 'False' }
    $globbing = if ($Parameter.SupportsWildcards -or ($meta.Contains('Accept wildcard characters') -and $meta['Accept wildcard characters'] -match '^True')) { 'true' } else { 'false' }
    $isArray = $Parameter.Type -like '*[[]]'

    $W.WriteStartElement('command', 'parameter', $script:CommandNs)
    $W.WriteAttributeString('required', $required)
    $W.WriteAttributeString('variableLength', $(if ($isArray) { 'true' } else { 'false' }))
    $W.WriteAttributeString('globbing', $globbing)
    $W.WriteAttributeString('pipelineInput', $pipeline)
    $W.WriteAttributeString('position', $position)
    $W.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $script:MamlNs, $name)
    Write-MamlDescription $W $description $script:NestedTextWidth
    if ($InSyntax -and $Parameter.ValidValues) {
        $W.WriteStartElement('command', 'parameterValueGroup', $script:CommandNs)
        foreach ($v in $Parameter.ValidValues) {
            $W.WriteStartElement('command', 'parameterValue', $script:CommandNs)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $script:CommandNs, 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not ($InSyntax -and $Parameter.IsSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $script:CommandNs)
        $W.WriteAttributeString('required', $(if ($Parameter.IsSwitch) { 'false' } else { 'true' }))
        $W.WriteAttributeString('variableLength', $(if ($isArray) { 'true' } else { 'false' }))
        $W.WriteString($Parameter.Type)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $script:DevNs)
    $W.WriteElementString('maml', 'name', $script:MamlNs, $Parameter.Type)
    $W.WriteElementString('maml', 'uri', $script:MamlNs, '')
    $W.WriteEndElement()
    $default = if ($meta.Contains('Default value') -and $meta['Default value']) { $meta['Default value'] } elseif ($Parameter.IsSwitch) { 'False' } else { 'None' }
    $W.WriteElementString('dev', 'defaultValue', $script:DevNs, $default)
    $W.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $W, $Command, $Doc)
    $W.WriteStartElement('command', 'command', $script:CommandNs)
    $W.WriteAttributeString('xmlns', 'maml', $null, $script:MamlNs)
    $W.WriteAttributeString('xmlns', 'command', $null, $script:CommandNs)
    $W.WriteAttributeString('xmlns', 'dev', $null, $script:DevNs)
    $W.WriteAttributeString('xmlns', 'MSHelp', $null, $script:MsHelpNs)

    $W.WriteStartElement('command', 'details', $script:CommandNs)
    $W.WriteElementString('command', 'name', $script:CommandNs, $Command.Name)
    $W.WriteElementString('command', 'verb', $script:CommandNs, $Command.Verb)
    $W.WriteElementString('command', 'noun', $script:CommandNs, $Command.Noun)
    Write-MamlDescription $W $Doc.Synopsis
    $W.WriteEndElement()

    Write-MamlDescription $W $Doc.Description

    $byName = @{}
    foreach ($p in $Command.Parameters) { $byName[$p.Name] = $p }

    # Syntax: one item per parameter set, in the code's order, default set first; positional parameters first.
    $W.WriteStartElement('command', 'syntax', $script:CommandNs)
    $sets = @($Command.ParameterSets | Sort-Object @{ Expression = { -not $_.IsDefault } }, @{ Expression = { $_.Name } })
    foreach ($set in $sets) {
        $W.WriteStartElement('command', 'syntaxItem', $script:CommandNs)
        $W.WriteElementString('maml', 'name', $script:MamlNs, $Command.Name)
        $ordered = @($set.Parameters | Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } })
        foreach ($sp in $ordered) {
            if (-not $byName.ContainsKey($sp.Name)) { continue }
            Write-MamlParameter -W $W -SetParameter $sp -Parameter $byName[$sp.Name] -Doc $Doc -InSyntax
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    # Parameters: each once, in the order of the help file (then any the help does not list, such as -WhatIf).
    $W.WriteStartElement('command', 'parameters', $script:CommandNs)
    $order = @($Doc.Parameters.Keys | Where-Object { $byName.ContainsKey($_) }) +
        @($Command.Parameters | ForEach-Object { $_.Name } | Where-Object { -not $Doc.Parameters.Contains($_) })
    foreach ($name in $order) {
        $p = $byName[$name]
        # Required/position/pipeline shown for the whole parameter: take the first set that has it mandatory, else the first.
        $inSets = @($Command.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $name })
        $sp = ($inSets | Where-Object IsMandatory | Select-Object -First 1)
        if (-not $sp) { $sp = $inSets | Select-Object -First 1 }
        Write-MamlParameter -W $W -SetParameter $sp -Parameter $p -Doc $Doc
    }
    $W.WriteEndElement()

    $outputs = @($Doc.Outputs)
    if (-not $outputs) { $outputs = @($Command.OutputType | ForEach-Object { [pscustomobject]@{ Type = $_; Description = @() } }) }
    Write-MamlTypeList $W 'inputTypes' 'inputType' $Doc.Inputs
    Write-MamlTypeList $W 'returnValues' 'returnValue' $outputs

    if ($Doc.Notes) {
        $W.WriteStartElement('maml', 'alertSet', $script:MamlNs)
        $W.WriteStartElement('maml', 'alert', $script:MamlNs)
        Write-Paras $W $Doc.Notes $script:NestedTextWidth
        $W.WriteEndElement()
        $W.WriteEndElement()
    }

    $W.WriteStartElement('command', 'examples', $script:CommandNs)
    foreach ($e in $Doc.Examples) {
        $W.WriteStartElement('command', 'example', $script:CommandNs)
        $W.WriteElementString('maml', 'title', $script:MamlNs, (Get-ExampleTitle $e.Title))
        if ($e.Introduction) {
            $W.WriteStartElement('maml', 'introduction', $script:MamlNs)
            Write-Paras $W $e.Introduction
            $W.WriteEndElement()
        }
        $W.WriteElementString('dev', 'code', $script:DevNs, $e.Code)
        $W.WriteStartElement('dev', 'remarks', $script:DevNs)
        Write-Paras $W $e.Remarks
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $script:CommandNs)
    foreach ($l in $Doc.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $script:MamlNs)
        $W.WriteElementString('maml', 'linkText', $script:MamlNs, $l.Text)
        # Links to other help files (Foo.md) are shown by name only; Get-Help -Online uses absolute URIs.
        $uri = if ($l.Uri -match '^[a-z]+://') { $l.Uri } else { '' }
        $W.WriteElementString('maml', 'uri', $script:MamlNs, $uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

function ConvertTo-MamlFile {
    param([object[]] $Commands, [hashtable] $Docs, [string] $Path)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($cmd in $Commands) { Write-MamlCommand -W $writer -Command $cmd -Doc $Docs[$cmd.Name] }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    } finally {
        $writer.Dispose()
    }
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
    Converts an about_*.help.md file (platyPS about schema: '# about_X', then '## SHORT DESCRIPTION',
    '## LONG DESCRIPTION' ... sections) into the plain-text layout of PowerShell's own about topics.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = $script:HelpColumns)
    $lines = ((Get-Content -Raw -Path $Path) -replace "`r`n", "`n") -split "`n"
    $topic = $null
    $sb = [System.Text.StringBuilder]::new()
    $para = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    $wrap = {
        param([string] $text, [string] $indent, [string] $nextIndent)
        $line = $indent
        $lineIndent = $indent
        foreach ($word in ($text -split '\s+' | Where-Object { $_ })) {
            if ($line.Length -gt $lineIndent.Length -and $line.Length + 1 + $word.Length -gt $Width) {
                $null = $sb.AppendLine($line.TrimEnd()); $line = $nextIndent; $lineIndent = $nextIndent
            }
            $line = if ($line.Length -gt $lineIndent.Length) { "$line $word" } else { "$line$word" }
        }
        if ($line.Trim()) { $null = $sb.AppendLine($line.TrimEnd()) }
    }
    $flush = {
        if ($para.Count) {
            $text = $para -join ' '
            if ($text -match '^(([-*+]|\d+\.)\s+)') {
                # List item: continuation lines hang under the item's text.
                & $wrap $text '    ' ('    ' + (' ' * $Matches[1].Length))
            } else {
                & $wrap $text '    ' '    '
            }
            $null = $sb.AppendLine()
            $para.Clear()
        }
    }
    foreach ($line in $lines) {
        if ($line -match '^\s*```') {
            & $flush
            $inFence = -not $inFence
            if (-not $inFence) { $null = $sb.AppendLine() }
            continue
        }
        if ($inFence) {
            foreach ($codeLine in ((ConvertTo-WrappedCode -Code $line -Width ($Width - 8)) -split "`n")) { $null = $sb.AppendLine(('        ' + $codeLine).TrimEnd()) }
            continue
        }
        if ($line -match '^(#{1,3})\s+(.+?)\s*$') {
            & $flush
            $level = $Matches[1].Length; $heading = $Matches[2]
            if ($level -eq 1 -and -not $topic) {
                $topic = $heading
                $null = $sb.AppendLine('TOPIC').AppendLine("    $topic").AppendLine()
            } elseif ($heading -ne $topic) {
                $text = if ($level -le 2) { $heading.ToUpperInvariant() } else { $heading }
                $indent = if ($level -le 2) { '' } else { '  ' }
                $null = $sb.AppendLine("$indent$text")
            }
            continue
        }
        if ([string]::IsNullOrWhiteSpace($line)) { & $flush; continue }
        if ($line -match '^\s*([-*+]|\d+\.)\s+') { & $flush }
        $para.Add($line.Trim())
    }
    & $flush
    if (-not $topic) { throw "$Path has no '# about_<Name>' title line." }
    [pscustomobject]@{ Topic = $topic; Text = $sb.ToString().TrimEnd() + [Environment]::NewLine }
}

function Get-CommandMetadata {
    param([string] $ManifestPath)
    $json = Join-Path ([IO.Path]::GetTempPath()) ("globusautomate-commands-" + [guid]::NewGuid().ToString('n') + '.json')
    try {
        $result = Invoke-FreshPwsh -CaptureOutput -File (Join-Path $PSScriptRoot 'Get-CommandMetadata.ps1') `
            -ArgumentList @('-ManifestPath', $ManifestPath, '-OutFile', $json)
        if ($result.ExitCode -ne 0 -or -not (Test-Path $json)) {
            throw "Importing the built module to read its cmdlets failed (exit code $($result.ExitCode)):`n$($result.Output -join "`n")"
        }
        Get-Content -Raw -Path $json | ConvertFrom-Json
    } finally {
        Remove-Item -Path $json -ErrorAction SilentlyContinue
    }
}

function Build-GlobusAutomateHelp {
    <#
    .SYNOPSIS
    Validates docs/en-US against the built module and writes en-US/<assembly>.dll-Help.xml and the about topics
    into the module directory. Throws, listing every problem, when the help and the code disagree.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $DocsDirectory,
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [string] $ModuleName
    )
    if (-not (Test-Path $DocsDirectory)) { throw "The help source folder '$DocsDirectory' does not exist." }
    $manifest = Join-Path $ModuleDirectory "$ModuleName.psd1"
    $meta = Get-CommandMetadata -ManifestPath $manifest
    $commands = @($meta.Commands)
    if (-not $commands) { throw "The built module '$manifest' exports no commands; there is nothing to document." }

    $docs = @{}
    foreach ($file in Get-ChildItem -Path $DocsDirectory -Filter '*.md' -File | Where-Object Name -notlike 'about_*') {
        $doc = ConvertFrom-PlatyPSMarkdown -Path $file.FullName
        $docs[[IO.Path]::GetFileNameWithoutExtension($file.Name)] = $doc
    }
    $problems = Test-HelpAgainstCode -Commands $commands -Docs $docs -DocsDirectory $DocsDirectory
    if ($problems.Count) {
        throw ("The help in $DocsDirectory does not match the module ($($problems.Count) problem(s)):`n  " + ($problems -join "`n  "))
    }

    foreach ($warning in (Get-MetadataDrift -Commands $commands -Docs $docs)) {
        Write-Warning "$warning (The help is generated from the code; fix the markdown's yaml block.)"
    }

    $culture = Join-Path $ModuleDirectory 'en-US'
    $null = New-Item -ItemType Directory -Force -Path $culture
    # Get-Help looks for <implementing assembly>.dll-Help.xml; one file per assembly.
    $written = @()
    foreach ($group in ($commands | Group-Object { if ($_.Assembly) { $_.Assembly } else { $ModuleName } })) {
        $mamlPath = Join-Path $culture "$($group.Name).dll-Help.xml"
        ConvertTo-MamlFile -Commands @($group.Group | Sort-Object Name) -Docs $docs -Path $mamlPath
        # Proof that what was written is well-formed XML before anyone relies on it, and reads whole at 80 columns.
        $null = [xml](Get-Content -Raw -Path $mamlPath)
        $tooLong = Test-HelpLayout -MamlPath $mamlPath
        if ($tooLong.Count) {
            throw ("The help in $DocsDirectory has lines that Get-Help would cut in an 80-column console ($($tooLong.Count)); " +
                "reword them (break a long word or value, move a trailing comment above its code, wrap sample output):`n  " + ($tooLong -join "`n  "))
        }
        $written += $mamlPath
    }
    $abouts = foreach ($file in Get-ChildItem -Path $DocsDirectory -Filter 'about_*.md' -File) {
        $about = ConvertTo-AboutHelpText -Path $file.FullName
        $tooLong = @(Find-LongHelpLine -Text ($about.Text -replace "`r", '') -Width $script:HelpColumns)
        if ($tooLong.Count) { throw "$($file.Name) has lines that Get-Help would cut in an 80-column console:`n  $($tooLong -join "`n  ")" }
        $target = Join-Path $culture "$($about.Topic).help.txt"
        Set-Content -Path $target -Value $about.Text -Encoding utf8 -NoNewline
        $target
    }
    [pscustomobject]@{ CommandCount = $commands.Count; MamlPath = ($written -join ', '); AboutFiles = @($abouts) }
}

Export-ModuleMember -Function ConvertFrom-PlatyPSMarkdown, Test-HelpAgainstCode, ConvertTo-MamlFile,
    ConvertTo-AboutHelpText, Build-GlobusAutomateHelp
