namespace GlobusAutomate;

/// <summary>The configuration (environment name, service URL override, options) cannot be used.</summary>
public sealed class GlobusConfigurationException : GlobusException
{
    public GlobusConfigurationException(string message) : base(message) { }
}
