namespace GlobusAutomate;

/// <summary>Keeps the token set in this process only (<c>-TokenStorage None</c>, client credentials, given tokens).</summary>
public sealed class MemoryTokenStore : IGlobusTokenStore
{
    private readonly object gate = new();
    private byte[]? data;

    public string Kind => "Memory";

    public string Location => "process memory";

    public bool IsEncrypted => false;

    public bool IsPersistent => false;

    public IDisposable Lock() => NoLock.Instance;

    public byte[]? Read()
    {
        lock (gate)
        {
            return data == null ? null : (byte[])data.Clone();
        }
    }

    public void Write(byte[] value)
    {
        lock (gate)
        {
            data = (byte[])(value ?? throw new ArgumentNullException(nameof(value))).Clone();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            data = null;
        }
    }

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}
