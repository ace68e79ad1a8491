using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>One silo of the demo's cluster: its own generic host inside the demo's process.</summary>
/// <param name="Name">Its name, <c>silo-N</c>, which the bodies it runs report.</param>
/// <param name="Host">The host running it.</param>
/// <param name="Address">Its address in the cluster (loopback, its own port).</param>
/// <param name="IsPrimary">Whether it is the primary silo, which holds localhost clustering's membership table.</param>
internal sealed record DemoSilo(string Name, IHost Host, SiloAddress Address, bool IsPrimary)
{
    /// <summary>Whether it was killed.</summary>
    public bool Killed { get; set; }
}
