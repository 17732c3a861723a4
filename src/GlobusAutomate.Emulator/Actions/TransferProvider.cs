using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// A transfer-like provider (/actions/transfer): it really copies files and folders between two local folders that
/// stand for collections (<see cref="CollectionStore"/>), in the background, so a flow that moves data runs offline.
/// The input follows the Globus Transfer action provider (source_endpoint, destination_endpoint, DATA items with
/// source_path, destination_path, recursive); the action is ACTIVE while copying, then SUCCEEDED with a transfer
/// task's counters, or FAILED naming the path that could not be copied. Cancel stops the copy.
/// </summary>
[EmulatorService]
public sealed class TransferProvider(CollectionStore collections, EmulatorClock clock) : ActionProvider
{
    private sealed record Item(string SourcePath, string DestinationPath, string Source, string Destination, bool Recursive);

    private sealed class Job
    {
        public required Guid TaskId { get; init; }
        public required string? Label { get; init; }
        public required EmulatedCollection Source { get; init; }
        public required EmulatedCollection Destination { get; init; }
        public required IReadOnlyList<Item> Items { get; init; }
        public bool VerifyChecksum { get; init; }
        public bool PreserveTimestamp { get; init; }
        public CancellationTokenSource Cancel { get; } = new();
        public Task<JsonObject?>? Copy { get; set; }
        public long Files;
        public long Directories;
        public long FilesTransferred;
        public long BytesTransferred;
        public DateTimeOffset FinishedAt;
    }

    public override ActionProviderDefinition Definition { get; } = new()
    {
        Name = "transfer",
        Title = "Transfer",
        Subtitle = "Copy files between two collections",
        Description = "Emulator provider: copies files and folders between local folders registered as collections (POST /_emulator/collections). " +
            "Input as the Globus Transfer action provider: source_endpoint, destination_endpoint, DATA [{source_path, destination_path, recursive}].",
        AdminContact = "emulator@example.org",
        LogSupported = true,
        Keywords = ["transfer", "copy"],
        InputSchemaJson = """
            {"type": "object", "additionalProperties": false,
             "properties": {
               "source_endpoint": {"type": "string"}, "destination_endpoint": {"type": "string"},
               "source_endpoint_id": {"type": "string"}, "destination_endpoint_id": {"type": "string"},
               "label": {"type": "string", "minLength": 1, "maxLength": 128},
               "DATA": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/item"}},
               "transfer_items": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/item"}},
               "verify_checksum": {"type": "boolean"},
               "preserve_timestamp": {"type": "boolean"}},
             "definitions": {"item": {"type": "object", "additionalProperties": false, "required": ["source_path", "destination_path"],
               "properties": {"source_path": {"type": "string", "minLength": 1}, "destination_path": {"type": "string", "minLength": 1},
                              "recursive": {"type": "boolean"}}}}}
            """,
    };

    public override ActionPreparation Prepare(JsonObject body, IssuedToken token)
    {
        var source = Collection(body, "source_endpoint", out var sourceError);
        if (sourceError is not null) return ActionPreparation.Invalid(sourceError);
        var destination = Collection(body, "destination_endpoint", out var destinationError);
        if (destinationError is not null) return ActionPreparation.Invalid(destinationError);
        var items = (body["DATA"] ?? body["transfer_items"]) as JsonArray;
        if (items is null || (body["DATA"] is not null && body["transfer_items"] is not null))
            return ActionPreparation.Invalid("Field '$.DATA' (category: 'required'): give the items to copy in DATA (or the older transfer_items), not both.");
        var list = new List<Item>();
        foreach (var node in items)
        {
            var o = node!.AsObject();
            var sp = o["source_path"]!.GetValue<string>();
            var dp = o["destination_path"]!.GetValue<string>();
            var s = source!.Resolve(sp);
            var d = destination!.Resolve(dp);
            if (s is null) return ActionPreparation.Invalid($"Field '$.DATA' (category: 'path'): source_path '{sp}' leaves collection {source.Id}.");
            if (d is null) return ActionPreparation.Invalid($"Field '$.DATA' (category: 'path'): destination_path '{dp}' leaves collection {destination.Id}.");
            list.Add(new Item(sp, dp, s, d, o["recursive"]?.GetValueKind() == JsonValueKind.True));
        }

        return ActionPreparation.Ok(new Job
        {
            TaskId = Guid.NewGuid(),
            Label = body["label"]?.GetValue<string>(),
            Source = source!,
            Destination = destination!,
            Items = list,
            VerifyChecksum = body["verify_checksum"]?.GetValueKind() == JsonValueKind.True,
            PreserveTimestamp = body["preserve_timestamp"]?.GetValueKind() == JsonValueKind.True,
        });
    }

    private EmulatedCollection? Collection(JsonObject body, string field, out string? error)
    {
        error = null;
        var value = (body[field] ?? body[field + "_id"])?.GetValue<string>();
        if (value is null)
        {
            error = $"Field '$.{field}' (category: 'required'): the {field.Replace('_', ' ')} collection id is required.";
            return null;
        }

        if (!Guid.TryParse(value, out var id) || collections.Find(id) is not { } c)
        {
            error = $"Field '$.{field}' (category: 'collection'): no collection with id '{value}' in this emulator; register a local folder with POST /_emulator/collections.";
            return null;
        }

        return c;
    }

    public override void Start(ActionRecord action, DateTimeOffset now)
    {
        var job = (Job)action.State!;
        lock (action.Gate)
        {
            action.AddLog(now, "ActionStarted", "The transfer was started", null);
            action.SetActive(Details(job, "ACTIVE"));
            job.Copy = Task.Run(() => CopyAll(job), CancellationToken.None);
        }
    }

    public override void Refresh(ActionRecord action, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            var job = (Job)action.State!;
            if (action.IsComplete || job.Copy is not { } copy)
            {
                return;
            }

            if (!copy.IsCompleted)
            {
                action.SetActive(Details(job, "ACTIVE"));
                return;
            }

            var failure = copy.Result;
            if (failure is null)
            {
                action.Complete(job.FinishedAt, "SUCCEEDED", Details(job, "SUCCEEDED"));
            }
            else
            {
                var details = Details(job, "FAILED");
                foreach (var (k, v) in failure) details[k] = v?.DeepClone();
                action.Complete(job.FinishedAt, "FAILED", details);
            }
        }
    }

    protected override void OnCancel(ActionRecord action, DateTimeOffset now) => ((Job)action.State!).Cancel.Cancel();

    private static JsonObject Details(Job job, string status) => new()
    {
        ["task_id"] = job.TaskId.ToString(),
        ["type"] = "TRANSFER",
        ["status"] = status,
        ["label"] = job.Label,
        ["source_endpoint_id"] = job.Source.Id.ToString(),
        ["destination_endpoint_id"] = job.Destination.Id.ToString(),
        ["files"] = Interlocked.Read(ref job.Files),
        ["directories"] = Interlocked.Read(ref job.Directories),
        ["files_transferred"] = Interlocked.Read(ref job.FilesTransferred),
        ["bytes_transferred"] = Interlocked.Read(ref job.BytesTransferred),
        ["verify_checksum"] = job.VerifyChecksum,
    };

    /// <summary>Copies every item; null when all went well, else the failure details (code, description, path).</summary>
    private JsonObject? CopyAll(Job job)
    {
        try
        {
            foreach (var item in job.Items)
            {
                job.Cancel.Token.ThrowIfCancellationRequested();
                if (File.Exists(item.Source))
                {
                    Interlocked.Increment(ref job.Files);
                    CopyFile(job, item.Source, item.Destination);
                }
                else if (Directory.Exists(item.Source))
                {
                    if (!item.Recursive)
                        return Failure("NotAFile", $"'{item.SourcePath}' on collection {job.Source.Id} is a folder; set recursive to true to copy it.", item.SourcePath);
                    CopyTree(job, item.Source, item.Destination);
                }
                else
                {
                    return Failure("FileNotFound", $"'{item.SourcePath}' does not exist on collection {job.Source.Id}.", item.SourcePath);
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return Failure("Canceled", "The transfer was cancelled.", null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failure(ex is UnauthorizedAccessException ? "PermissionDenied" : "TransferFailed", ex.Message, null);
        }
        finally
        {
            job.FinishedAt = clock.UtcNow;
        }
    }

    private static JsonObject Failure(string code, string description, string? path) =>
        new() { ["code"] = code, ["description"] = description, ["path"] = path };

    private static void CopyTree(Job job, string source, string destination)
    {
        Interlocked.Increment(ref job.Directories);
        Directory.CreateDirectory(destination);
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Interlocked.Increment(ref job.Directories);
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, dir)));
        }

        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).ToList();
        Interlocked.Add(ref job.Files, files.Count);
        foreach (var file in files)
        {
            job.Cancel.Token.ThrowIfCancellationRequested();
            CopyFile(job, file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }

    private static void CopyFile(Job job, string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        // Copy to a temporary name first, so a cancelled or failed copy never leaves a half-written file in place.
        var partial = destination + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read))
            using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    job.Cancel.Token.ThrowIfCancellationRequested();
                    output.Write(buffer, 0, read);
                    Interlocked.Add(ref job.BytesTransferred, read);
                }
            }

            if (job.VerifyChecksum && !HashOf(source).AsSpan().SequenceEqual(HashOf(partial)))
                throw new IOException($"Checksum mismatch after copying '{source}'.");
            File.Move(partial, destination, overwrite: true);
            if (job.PreserveTimestamp) File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(source));
            Interlocked.Increment(ref job.FilesTransferred);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    private static byte[] HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }
}
