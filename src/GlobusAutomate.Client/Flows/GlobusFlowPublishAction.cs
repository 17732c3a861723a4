namespace GlobusAutomate;

/// <summary>What publishing a flow does: create it, update what changed, or nothing.</summary>
public enum GlobusFlowPublishAction
{
    Create,
    Update,
    None,
}
