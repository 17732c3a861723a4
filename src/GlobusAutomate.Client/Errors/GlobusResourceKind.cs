namespace GlobusAutomate;

/// <summary>The kind of object a failed request asked for, so callers can tell FlowNotFound from RunNotFound.</summary>
public enum GlobusResourceKind
{
    Other,
    Flow,
    Run,
    Action,
    ActionProvider,
    Queue,
    Identity,
    Token,
    WebInput,
    RegisteredApi,
    Timer,
}
