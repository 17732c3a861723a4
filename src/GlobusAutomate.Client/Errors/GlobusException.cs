namespace GlobusAutomate;

/// <summary>Base type of every error GlobusAutomate.Client raises on purpose.</summary>
public class GlobusException : Exception
{
    public GlobusException(string message) : base(message) { }

    public GlobusException(string message, Exception? innerException) : base(message, innerException) { }
}
