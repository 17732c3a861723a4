using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GlobusAutomate.PowerShell.Completion;

/// <summary>
/// Completes -ActionUrl with well-known action providers: the emulator's (below GLOBUS_SDK_SERVICE_URL_ACTIONS when it
/// points at a loopback address) and Globus's hosted ones. No network call.
/// </summary>
public sealed class ActionUrlCompleter : IArgumentCompleter
{
    /// <summary>Providers the GlobusAutomate emulator serves under /actions/.</summary>
    internal static readonly string[] EmulatorProviders = { "hello_world", "echo", "fail", "transfer", "wait_for" };

    /// <summary>Hosted Globus action providers.</summary>
    internal static readonly string[] GlobusProviders =
    {
        "https://actions.globus.org/hello_world",
        "https://actions.automate.globus.org/transfer/transfer",
        "https://actions.automate.globus.org/transfer/delete",
        "https://actions.automate.globus.org/transfer/ls",
        "https://actions.automate.globus.org/transfer/set_permission",
        "https://actions.globus.org/notification/notify",
        "https://actions.globus.org/search/ingest",
        "https://actions.globus.org/search/delete",
        "https://compute.actions.globus.org",
    };

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (var url in Candidates())
        {
            if (word.Length == 0 || url.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                yield return new CompletionResult(url, url, CompletionResultType.ParameterValue, url);
            }
        }
    }

    internal static IEnumerable<string> Candidates()
    {
        var actions = Environment.GetEnvironmentVariable("GLOBUS_SDK_SERVICE_URL_ACTIONS");
        if (Uri.TryCreate(actions, UriKind.Absolute, out var origin) && origin.IsLoopback)
        {
            var root = origin.GetLeftPart(UriPartial.Authority);
            foreach (var name in EmulatorProviders)
            {
                yield return root + "/actions/" + name;
            }
        }

        foreach (var url in GlobusProviders)
        {
            yield return url;
        }
    }
}
