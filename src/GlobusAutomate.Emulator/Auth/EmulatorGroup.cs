namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>A Globus group; its members can be named in role lists by the group's URN.</summary>
public sealed record EmulatorGroup(Guid Id, string Name, IReadOnlyList<Guid> MemberIds)
{
    public string Urn => $"urn:globus:groups:id:{Id}";
}
