# Imports a built module in this (fresh) process and writes what the help generator needs to know about its
# cmdlets as JSON: parameter sets, parameters (minus the common ones), types, positions, pipeline binding, aliases.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
$module = Import-Module $ManifestPath -PassThru -Force

$common = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
foreach ($n in [System.Management.Automation.Cmdlet]::CommonParameters) { $null = $common.Add($n) }
$optionalCommon = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
foreach ($n in [System.Management.Automation.Cmdlet]::OptionalCommonParameters) { $null = $optionalCommon.Add($n) }

function Get-TypeDisplayName([type] $Type) {
    # The short names Get-Help and platyPS show: Guid[], String, SwitchParameter, Nullable`1[DateTimeOffset] -> DateTimeOffset.
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return (Get-TypeDisplayName $underlying) }
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    if ($Type.IsGenericType) {
        $name = $Type.Name.Substring(0, $Type.Name.IndexOf('`'))
        return "$name[$(($Type.GetGenericArguments() | ForEach-Object { Get-TypeDisplayName $_ }) -join ',')]"
    }
    $Type.Name
}

$commands = foreach ($cmd in ($module.ExportedCmdlets.Values + $module.ExportedFunctions.Values | Sort-Object Name)) {
    $sets = foreach ($set in $cmd.ParameterSets) {
        [pscustomobject]@{
            Name       = $set.Name
            IsDefault  = $set.IsDefault
            Parameters = @(foreach ($p in $set.Parameters) {
                    if ($common.Contains($p.Name)) { continue }
                    [pscustomobject]@{
                        Name                            = $p.Name
                        Type                            = Get-TypeDisplayName $p.ParameterType
                        FullType                        = $p.ParameterType.FullName
                        IsSwitch                        = $p.ParameterType -eq [System.Management.Automation.SwitchParameter]
                        IsMandatory                     = $p.IsMandatory
                        Position                        = $p.Position
                        ValueFromPipeline               = $p.ValueFromPipeline
                        ValueFromPipelineByPropertyName = $p.ValueFromPipelineByPropertyName
                        ValueFromRemainingArguments     = $p.ValueFromRemainingArguments
                        Aliases                         = @($p.Aliases)
                    }
                })
        }
    }
    $parameters = foreach ($p in $cmd.Parameters.Values) {
        if ($common.Contains($p.Name)) { continue }
        $validateSet = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } |
            ForEach-Object { $_.ValidValues })
        $supportsWildcards = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        [pscustomobject]@{
            Name              = $p.Name
            Type              = Get-TypeDisplayName $p.ParameterType
            IsSwitch          = $p.SwitchParameter
            IsOptionalCommon  = $optionalCommon.Contains($p.Name)
            Aliases           = @($p.Aliases)
            ValidValues       = $validateSet
            SupportsWildcards = $supportsWildcards
            ParameterSets     = @($p.ParameterSets.Keys)
        }
    }
    [pscustomobject]@{
        Name                = $cmd.Name
        CommandType         = "$($cmd.CommandType)"
        Verb                = $cmd.Verb
        Noun                = $cmd.Noun
        DefaultParameterSet = $cmd.DefaultParameterSet
        HelpFile            = $cmd.HelpFile
        OutputType          = @($cmd.OutputType | ForEach-Object { $_.Name })
        ParameterSets       = @($sets)
        Parameters          = @($parameters)
        Assembly            = if ($cmd.ImplementingType) { $cmd.ImplementingType.Assembly.GetName().Name } else { $null }
    }
}
[pscustomobject]@{
    ModuleName    = $module.Name
    ModuleVersion = "$($module.Version)"
    Commands      = @($commands)
} | ConvertTo-Json -Depth 10 | Set-Content -Path $OutFile -Encoding utf8
