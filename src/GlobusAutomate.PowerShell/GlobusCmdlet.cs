using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell;

/// <summary>
/// Base of every GlobusAutomate cmdlet: owns the bridge between PowerShell's synchronous pipeline and the
/// asynchronous Client.
/// </summary>
/// <remarks>
/// Client calls run on the thread pool; the pipeline thread waits on a queue of things the background work wants
/// written (objects, verbose trace lines, progress) and drains it, so output, <c>-Verbose</c> lines and
/// <c>Write-Progress</c> appear live while every <c>Write*</c> call stays on the pipeline thread, where PowerShell
/// requires it. <see cref="StopProcessing"/> cancels the invocation's token and the wait itself, so Ctrl+C returns
/// at once even if a request is still in flight.
/// </remarks>
public abstract class GlobusCmdlet : PSCmdlet, IDisposable
{
    private static readonly AsyncLocal<GlobusCmdlet?> CurrentInvocation = new();

    private readonly CancellationTokenSource _cancellation = new();
    private readonly OutputQueue _queue;
    private bool _disposed;
    private List<ErrorRecord>? _invalidIdErrors;

    /// <summary>A cmdlet with its own cancellation and output queue.</summary>
    protected GlobusCmdlet()
    {
        _queue = new OutputQueue(1024, _cancellation.Token);
    }

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Whether progress records are worth writing (not in a non-interactive console: scheduled runs, CI).</summary>
    protected bool ShowProgress => HostFacts.ShowsProgress(Host);

    /// <summary>Whether this invocation is being stopped.</summary>
    protected bool IsStopping => _cancellation.IsCancellationRequested;

    /// <summary>
    /// The session to use instead of the default one (from <c>Connect-GlobusAutomate -PassThru</c> or
    /// <c>Get-GlobusSession</c>), so one script can work as two identities or in two environments at once.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public GlobusSession? Session { get; set; }

    /// <summary>The connection of -Session, else the default one, else the stored one; null when there is none.</summary>
    internal Connection? ResolveConnection()
    {
        if (Session is not null)
        {
            return Session.Connection;
        }

        var connection = ModuleState.CurrentOrStored(out var warning);
        if (warning is not null)
        {
            WriteWarning(warning);
        }

        return connection;
    }

    /// <summary>The connected client; throws the terminating NotConnected error when there is none.</summary>
    protected GlobusClient Client
    {
        get
        {
            _connection ??= ResolveConnection();
            if (_connection is null)
            {
                ThrowTerminatingError(Session is not null ? ErrorMapper.SessionInvalid(Session) : ErrorMapper.NotConnected());
            }

            return _connection!.Client;
        }
    }

    private Connection? _connection;

    /// <summary>
    /// Whether the cmdlet whose work is asking shows debug output: only then do trace events carry headers and bodies.
    /// </summary>
    internal static bool TraceDetailWanted() => CurrentInvocation.Value is { _debugWanted: true };

    private bool _debugWanted;

    /// <summary>Called for every client trace event; routes it to the cmdlet whose work caused it.</summary>
    internal static void OnTrace(GlobusTraceEvent traceEvent)
    {
        var target = CurrentInvocation.Value;
        if (target is null)
        {
            return;
        }

        // -Verbose: one line per request (its response, retry or failure); -Debug: the sanitised request and
        // response. The Client has already dropped Authorization and redacted tokens and secrets in bodies.
        if (traceEvent.Kind == GlobusTraceEventKind.Request)
        {
            if (!target._debugWanted)
            {
                return;
            }

            var request = new StringBuilder().Append("Request: ").Append(traceEvent.Method).Append(' ').Append(traceEvent.Uri);
            foreach (var header in traceEvent.Headers)
            {
                request.AppendLine().Append("  ").Append(header.Key).Append(": ").Append(header.Value);
            }

            if (traceEvent.Body is { Length: > 0 } requestBody)
            {
                request.AppendLine().Append(requestBody);
            }

            var text = request.ToString();
            target.Post(c => c.WriteDebug(text));
            return;
        }

        var line = traceEvent.Message;
        target.Post(c => c.WriteVerbose(line));
        if (traceEvent.Kind == GlobusTraceEventKind.Response && target._debugWanted)
        {
            // The sanitised body is built (a pass over the whole response) only when debug output is shown.
            target.Post(c =>
            {
                if (c.DebugWanted() && traceEvent.Body is { Length: > 0 } body)
                {
                    c.WriteDebug($"Response: {traceEvent.StatusCode} {traceEvent.Method} {traceEvent.Uri}{System.Environment.NewLine}{body}");
                }
            });
        }
    }

    private bool DebugWanted()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Debug", out var debug))
        {
            return debug is SwitchParameter sw ? sw.IsPresent : debug is bool b && b;
        }

        return GetVariableValue("DebugPreference") is not ActionPreference preference || preference != ActionPreference.SilentlyContinue;
    }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _debugWanted = DebugWanted();
        if (SessionState.PSVariable.GetValue("PSVersionTable") is System.Collections.Hashtable table && table["PSVersion"] is { } version)
        {
            SessionFactory.PowerShellProduct = "PowerShell/" + version;
        }

        if (RequiresConnection)
        {
            _ = Client;
        }
    }

    /// <summary>Whether the cmdlet needs Connect-GlobusAutomate first (all but the connection cmdlets).</summary>
    protected virtual bool RequiresConnection => true;

    /// <inheritdoc />
    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>Queues an action to run on the pipeline thread; safe to call from any thread.</summary>
    internal void Post(Action<GlobusCmdlet> action) => Post(action, wake: true);

    /// <summary>
    /// Queues an action; with <paramref name="wake"/> false the pipeline thread is not woken for it (more items follow at
    /// once, and the caller calls <see cref="OutputQueue.Wake"/> before it waits for anything).
    /// </summary>
    internal void Post(Action<GlobusCmdlet> action, bool wake)
    {
        try
        {
            _queue.Add(() => action(this), wake);
        }
        catch (OperationCanceledException)
        {
            // Stopping: nothing will be written any more.
        }
        catch (InvalidOperationException)
        {
            // Queue completed (cmdlet disposed); late trace lines are dropped.
        }
    }

    /// <summary>Runs <paramref name="work"/> off the pipeline thread and waits for it, writing queued output meanwhile.</summary>
    protected internal T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Start(work);
        Pump(task);
        return Unwrap(task);
    }

    /// <summary>Runs <paramref name="work"/> off the pipeline thread and waits for it, writing queued output meanwhile.</summary>
    protected internal void Await(Func<CancellationToken, Task> work) =>
        Await<bool>(async ct =>
        {
            await work(ct).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Like <see cref="Await{T}"/>, but a client failure becomes a non-terminating error about
    /// <paramref name="target"/> and the method returns false, so the next pipeline item can go on.
    /// </summary>
    protected bool TryAwait<T>(Func<CancellationToken, Task<T>> work, object? target, out T result, string? invalidDataErrorId = null)
    {
        try
        {
            result = Await(work);
            return true;
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            WriteClientError(ex, target, invalidDataErrorId);
            result = default!;
            return false;
        }
    }

    /// <summary>
    /// The start of Invoke-GlobusFlow and Invoke-GlobusAction: confirms <paramref name="operation"/> on
    /// <paramref name="target"/>; under -WhatIf nothing is started, the input is checked with the service's validate
    /// endpoint instead (<paramref name="validate"/>, then <paramref name="validMessage"/> in -Verbose); otherwise
    /// <paramref name="start"/> runs. A refused input is InputSchemaViolation, any failure a non-terminating error about
    /// <paramref name="errorTarget"/>; true only when something was started.
    /// </summary>
    protected bool TryStart<TValidation, TStarted>(
        string target,
        string operation,
        object errorTarget,
        Func<CancellationToken, Task<TValidation>> validate,
        string validMessage,
        Func<CancellationToken, Task<TStarted>> start,
        out TStarted started)
    {
        started = default!;
        if (!ShouldProcess(target, operation))
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf") && TryAwait(validate, errorTarget, out _, "InputSchemaViolation"))
            {
                WriteVerbose(validMessage);
            }

            return false;
        }

        return TryAwait(start, errorTarget, out started, "InputSchemaViolation");
    }

    /// <summary>Writes one or more error records for a client exception (a local input check can fail in many places).</summary>
    protected void WriteClientError(Exception ex, object? target, string? invalidDataErrorId = null)
    {
        foreach (var record in ErrorMapper.ToErrorRecords(ex, target, invalidDataErrorId))
        {
            WriteError(record);
        }
    }

    /// <summary>
    /// The ids of <paramref name="ids"/> that are ids; for each text that was given in place of one (bound through
    /// <see cref="GlobusIdAttribute"/>) one non-terminating <c>&lt;Kind&gt;IdInvalid</c> error naming the value and the
    /// fix is written at the end of the pipeline (<see cref="EndProcessing"/>), after every good id was processed, so
    /// that not even <c>-ErrorAction Stop</c> lets a bad id sink the rest. The good ids keep their order, so they still
    /// go out together.
    /// </summary>
    protected Guid[] ValidIds(Guid[]? ids, string parameterName)
    {
        if (ids is null || ids.Length == 0)
        {
            return Array.Empty<Guid>();
        }

        List<Guid>? valid = null;
        for (var i = 0; i < ids.Length; i++)
        {
            if (IsValidId(ids[i], parameterName))
            {
                valid?.Add(ids[i]);
            }
            else if (valid is null)
            {
                valid = new List<Guid>(ids.Length);
                for (var j = 0; j < i; j++)
                {
                    valid.Add(ids[j]);
                }
            }
        }

        return valid is null ? ids : valid.ToArray();
    }

    /// <summary>
    /// False, after writing its <c>&lt;Kind&gt;IdInvalid</c> error, when <paramref name="id"/> stands for a text that
    /// is not an id (see <see cref="ValidIds"/>).
    /// </summary>
    protected bool IsValidId(Guid id, string parameterName)
    {
        if (!InvalidIds.TryTake(id, out var text))
        {
            return true;
        }

        (_invalidIdErrors ??= new List<ErrorRecord>()).Add(ErrorMapper.InvalidId(text, parameterName));
        return false;
    }

    /// <inheritdoc />
    /// <remarks>A cmdlet that overrides this calls it last (the errors for texts given as ids are written here).</remarks>
    protected override void EndProcessing()
    {
        if (_invalidIdErrors is { } errors)
        {
            _invalidIdErrors = null;
            foreach (var error in errors)
            {
                WriteError(error);
            }
        }

        base.EndProcessing();
    }

    /// <summary>
    /// Writes one non-terminating error per failure of a batch update (Stop-GlobusRun, Set-GlobusRun): the run id
    /// (or the ids of a chunk refused as a whole) is the target, so the caller can retry exactly those.
    /// </summary>
    protected void WriteBatchFailures(IEnumerable<GlobusBatchFailure> failures)
    {
        foreach (var failure in failures)
        {
            object target = failure.RunIds.Count == 1 ? failure.RunIds[0] : failure.RunIds.ToArray();
            WriteClientError(failure.Error, target);
        }
    }

    /// <summary>
    /// Reads a free-form document parameter; a value that is no document ends the invocation with DocumentInvalid.
    /// </summary>
    protected object? ReadDocument(object? value, string parameterName, bool requireObject = false)
    {
        try
        {
            var document = DocumentReader.Read(this, value, parameterName);
            if (requireObject && document is not System.Collections.Specialized.OrderedDictionary)
            {
                throw new GlobusDocumentException(
                    $"-{parameterName} must be a JSON object (a mapping such as {{\"StartAt\": ..., \"States\": {{...}}}}), but the document holds " +
                    (document is null ? "nothing (null)" : document is System.Collections.IList ? "a list" : "a single value") + ".", "-" + parameterName);
            }

            return document;
        }
        catch (Exception ex) when (ex is GlobusException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            var target = value is PSObject wrapped ? wrapped.BaseObject : value;
            var record = ex is GlobusException
                ? ErrorMapper.ToErrorRecord(ex, target)
                : ErrorMapper.Create(ex, "DocumentInvalid", ErrorCategory.InvalidData, target,
                    "Pass a hashtable or PSCustomObject, a JSON or YAML string, or the path of a JSON or YAML file.");
            ThrowTerminatingError(record);
            return null;
        }
    }

    /// <summary>
    /// Enumerates <paramref name="source"/> off the pipeline thread and writes every item as soon as it arrives,
    /// honouring <c>-First</c>, <c>-Skip</c> and <c>-IncludeTotalCount</c> when the cmdlet supports paging.
    /// </summary>
    protected void WriteStream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, object? target) =>
        WriteStream(source, target, item => item);

    /// <summary>As <see cref="WriteStream{T}(Func{CancellationToken, IAsyncEnumerable{T}}, object?)"/>, writing <paramref name="convert"/> of each item.</summary>
    protected void WriteStream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, object? target, Func<T, object?> convert)
    {
        var paging = SupportsPaging() ? PagingParameters : null;
        var skip = paging?.Skip ?? 0UL;
        var first = paging?.First ?? ulong.MaxValue;
        ulong seen = 0;
        ulong written = 0;
        var complete = false;

        try
        {
            Await(async ct =>
            {
                if (first == 0)
                {
                    return;
                }

                var items = source(ct).GetAsyncEnumerator(ct);
                try
                {
                    while (true)
                    {
                        // Items of a page already read are queued without waking the pipeline thread; it is woken
                        // once, when the next item has to be waited for (the next page).
                        var next = items.MoveNextAsync();
                        if (!next.IsCompleted)
                        {
                            _queue.Wake();
                        }

                        if (!await next.ConfigureAwait(false))
                        {
                            break;
                        }

                        var item = items.Current;
                        seen++;
                    if (seen <= skip)
                    {
                        continue;
                    }

                        var value = convert(item);
                        Post(c => c.WriteObject(value), wake: false);
                        if (++written >= first)
                        {
                            return;
                        }
                    }
                }
                finally
                {
                    await items.DisposeAsync().ConfigureAwait(false);
                }

                complete = true;
            });
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            WriteClientError(ex, target);
        }

        if (paging?.IncludeTotalCount == true)
        {
            WriteObject(paging.NewTotalCount(seen, complete ? 1.0 : 0.0));
        }
    }

    /// <summary>
    /// The page size to ask for: the largest the service allows, since streaming costs one request per page, but no
    /// more than <c>-Skip</c> + <c>-First</c> need.
    /// </summary>
    protected int PageSizeFor(int maximum)
    {
        if (!SupportsPaging() || PagingParameters.First == ulong.MaxValue)
        {
            return maximum;
        }

        var needed = PagingParameters.First + PagingParameters.Skip;
        return needed >= (ulong)maximum ? maximum : (int)Math.Max(1UL, needed);
    }

    private bool SupportsPaging() =>
        GetType().GetCustomAttributes(typeof(CmdletAttribute), inherit: true) is { Length: > 0 } attributes &&
        ((CmdletAttribute)attributes[0]).SupportsPaging;

    private Task<T> Start<T>(Func<CancellationToken, Task<T>> work)
    {
        var token = _cancellation.Token;
        var previous = CurrentInvocation.Value;
        CurrentInvocation.Value = this;
        try
        {
            // Task.Run captures the execution context now, so trace events of this work find this cmdlet.
            return Task.Run(() => work(token), token);
        }
        finally
        {
            CurrentInvocation.Value = previous;
        }
    }

    private void Pump(Task task)
    {
        Action done = () => { };
        task.ContinueWith(_ => AddSentinel(done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var batch = new List<Action>();
        try
        {
            var finished = false;
            while (!finished)
            {
                batch.Clear();
                _queue.TakeAll(batch);
                foreach (var next in batch)
                {
                    if (ReferenceEquals(next, done))
                    {
                        finished = true;
                        continue;
                    }

                    next();
                }
            }

            // Items queued before completion but taken after the sentinel cannot exist (the sentinel is queued after
            // the work finished), yet drain defensively without blocking.
            batch.Clear();
            _queue.TakeQueued(batch);
            foreach (var rest in batch)
            {
                if (!ReferenceEquals(rest, done))
                {
                    rest();
                }
            }
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch
        {
            // Writing failed (for example Select-Object -First stopped the pipeline upstream): stop the background
            // work too, so it does not stay blocked on a full queue.
            _cancellation.Cancel();
            throw;
        }
    }

    private void AddSentinel(Action sentinel)
    {
        // Not bounded by the queue's capacity or the cancellation token: the pipeline thread may be waiting for
        // exactly this. Once the queue is completed the invocation is over and nobody waits.
        _queue.AddLast(sentinel);
    }

    private T Unwrap<T>(Task<T> task)
    {
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source and the output queue.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            // Cancel rather than dispose the source: a background continuation may still observe its token.
            _cancellation.Cancel();
            _queue.Dispose();
        }
    }
}
