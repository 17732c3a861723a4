namespace GlobusAutomate;

/// <summary>How bad a lint finding is: an error makes the service refuse the flow or the run fail; a warning is a likely mistake.</summary>
public enum GlobusFindingSeverity
{
    Error,
    Warning,
}
