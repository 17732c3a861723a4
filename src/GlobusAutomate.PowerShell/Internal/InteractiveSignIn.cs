using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// A person's sign-in at the console (native app, PKCE): the authorize address printed and the code pasted, or, with
/// -UseBrowser, the system browser and a loopback receiver. Connect-GlobusAutomate uses it for a new session;
/// Resume-GlobusRun and Resume-GlobusAction use it to widen the current session with a missing consent (the same
/// identity, its scopes kept, the new tokens written to the session's own store).
/// </summary>
internal static class InteractiveSignIn
{
    /// <summary>What one sign-in asks for.</summary>
    internal sealed class Request
    {
        internal string ClientId { get; set; } = GlobusScopes.NativeClientId;

        internal IReadOnlyList<string> Scopes { get; set; } = Array.Empty<string>();

        internal bool UseBrowser { get; set; }

        /// <summary>Authentication policies the session must satisfy, the identity that must sign in (null: anyone).</summary>
        internal GlobusSessionRequirements? Session { get; set; }

        /// <summary>The session's identity when widening it: a sign-in by anyone else changes nothing.</summary>
        internal string? ExpectedIdentityId { get; set; }

        /// <summary>The command to run again when the person gives no code.</summary>
        internal string RetryCommand { get; set; } = "Connect-GlobusAutomate";
    }

    /// <summary>
    /// Whether <paramref name="client"/>'s session can be widened by a sign-in here: a person's session (not client
    /// credentials, not a given access token), a console that can prompt, and no -NonInteractive.
    /// </summary>
    internal static bool CanWiden(PSCmdlet cmdlet, GlobusClient client, bool nonInteractive) =>
        !nonInteractive && client.Tokens.AuthenticationMethod == "User" && Interactive.CanPrompt(cmdlet);

    /// <summary>
    /// The scopes for widening <paramref name="client"/>'s session: the defaults, everything it holds now (so nothing
    /// is lost), view_consents (so the next check of a run's consents needs no sign-in), and <paramref name="extra"/>.
    /// </summary>
    internal static List<string> WideningScopes(GlobusClient client, IEnumerable<string> extra) =>
        GlobusScopes.DefaultUserScopes.Concat(client.Tokens.Scopes).Concat(new[] { GlobusScopes.ViewConsents }).Concat(extra)
            .Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Runs the sign-in on <paramref name="client"/>'s token manager. False with <paramref name="error"/> set when it
    /// failed (no code pasted, Globus refused the code, another identity signed in); the session is then unchanged.
    /// </summary>
    internal static bool TryRun(GlobusCmdlet cmdlet, GlobusClient client, Request request, out GlobusIdentity? identity, out ErrorRecord? error)
    {
        identity = null;
        error = null;
        var ui = cmdlet.Host.UI;
        try
        {
            using var receiver = request.UseBrowser ? new GlobusLoopbackReceiver() : null;
            var login = client.Auth.CreateLogin(request.ClientId, request.Scopes, receiver?.RedirectUri,
                "GlobusAutomate PowerShell module on " + System.Environment.MachineName, request.Session);
            string code;
            if (receiver is not null)
            {
                ui.WriteLine("Sign in to Globus in the browser window that opens. If none opens, open this address:");
                ui.WriteLine(login.AuthorizeUrl.AbsoluteUri);
                if (!SystemBrowser.TryOpen(login.AuthorizeUrl))
                {
                    cmdlet.WriteWarning("No browser could be started; open the address above yourself.");
                }

                code = cmdlet.Await(ct => receiver.WaitForCodeAsync(login.State, ct));
            }
            else
            {
                ui.WriteLine("Sign in to Globus: open this address in a browser, sign in, and allow access:");
                ui.WriteLine(login.AuthorizeUrl.AbsoluteUri);
                ui.Write("Paste the authorization code here and press Enter: ");
                code = new NetworkCredential(string.Empty, ui.ReadLineAsSecureString()).Password;
                if (string.IsNullOrWhiteSpace(code))
                {
                    error = ErrorMapper.Create(
                        new PSArgumentException("No authorization code was entered; nothing was signed in."), "AuthorizationCodeMissing",
                        ErrorCategory.InvalidArgument, null, $"Run '{request.RetryCommand}' again and paste the code that Globus shows after you allow access.");
                    return false;
                }
            }

            identity = cmdlet.Await(ct => client.Tokens.CompleteLoginAsync(login, code, request.ExpectedIdentityId, ct));
            return true;
        }
        catch (GlobusSignInIdentityMismatchException ex)
        {
            error = ErrorMapper.Create(ex, "SignInIdentityMismatch", ErrorCategory.PermissionDenied, ex.ActualUsername,
                $"Sign in as {ex.ExpectedUsername ?? ex.ExpectedIdentityId}, the identity of this session, and run '{request.RetryCommand}' again; " +
                "or start a new session as the other identity with Connect-GlobusAutomate.");
            return false;
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            error = ErrorMapper.ToErrorRecord(ex, request.ClientId);
            return false;
        }
    }
}
