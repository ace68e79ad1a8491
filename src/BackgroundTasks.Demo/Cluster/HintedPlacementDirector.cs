using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>Places by <see cref="HintedPlacement"/>.</summary>
internal sealed class HintedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        return Task.FromResult(IPlacementDirector.GetPlacementHint(target.RequestContextData, silos)
            ?? silos[Random.Shared.Next(silos.Length)]);
    }
}
