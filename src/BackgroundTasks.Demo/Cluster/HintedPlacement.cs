using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>
/// The demo's placement: the silo named by Orleans' placement hint (<see cref="IPlacementDirector.PlacementHintKey"/>
/// in the request context of the call that activates a grain) when it is alive, else a random one. The cluster
/// scenario hints where each thread should live, so the kill takes one thread and never the primary; a thread
/// reactivated after its silo died gets no hint and lands on a random live silo.
/// </summary>
internal sealed class HintedPlacement : PlacementStrategy
{
    public static readonly HintedPlacement Instance = new();
}
