namespace GlobusAutomate;

/// <summary>One file of a batch, as it was when the batch was taken.</summary>
public sealed class GlobusFolderBatchFile
{
    public GlobusFolderBatchFile(string path, string relativePath, long size, DateTimeOffset lastWriteTime)
    {
        Path = path;
        RelativePath = relativePath;
        Size = size;
        LastWriteTime = lastWriteTime;
    }

    /// <summary>The full local path.</summary>
    public string Path { get; }

    /// <summary>The path below the watched folder, with '/' separators.</summary>
    public string RelativePath { get; }

    public long Size { get; }

    public DateTimeOffset LastWriteTime { get; }

    public override string ToString() => RelativePath + " (" + Size + " bytes)";
}
