using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GlobusAutomate.PowerShell.Completion;

/// <summary>Base of the id completers: matches the typed text against the id or the title and inserts the id.</summary>
public abstract class GlobusIdCompleter : IArgumentCompleter
{
    /// <summary>Candidate ids with a human-readable text.</summary>
    private protected abstract IReadOnlyList<(Guid Id, string Text)> Candidates();

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (var (id, text) in Candidates())
        {
            var idText = id.ToString();
            if (word.Length == 0 ||
                idText.StartsWith(word, StringComparison.OrdinalIgnoreCase) ||
                text.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                var label = string.IsNullOrEmpty(text) ? idText : $"{idText} {text}";
                yield return new CompletionResult(idText, label, CompletionResultType.ParameterValue, string.IsNullOrEmpty(text) ? idText : text);
            }
        }
    }
}
