using System;
using System.Collections.Generic;

namespace GlobusAutomate.PowerShell.Completion;

/// <summary>Completes -RunId from your most recently started runs (by id, label or flow title).</summary>
public sealed class RunIdCompleter : GlobusIdCompleter
{
    private protected override IReadOnlyList<(Guid Id, string Text)> Candidates() => IdCompletionCache.Runs();
}
