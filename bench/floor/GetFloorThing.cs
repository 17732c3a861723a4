using System.Management.Automation;

namespace FloorModule
{
    /// <summary>The one cmdlet of the floor module: writes 1.</summary>
    [Cmdlet(VerbsCommon.Get, "FloorThing")]
    public sealed class GetFloorThing : PSCmdlet
    {
        protected override void ProcessRecord() => WriteObject(1);
    }
}
