using System;
using System.Collections.Generic;

namespace GlobusAutomate.PowerShell.Completion;

/// <summary>Completes -FlowId from the flows you most recently updated (by id or title).</summary>
public sealed class FlowIdCompleter : GlobusIdCompleter
{
    private protected override IReadOnlyList<(Guid Id, string Text)> Candidates() => IdCompletionCache.Flows();
}
