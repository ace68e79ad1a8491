using Orleans.Configuration;
using Orleans.Hosting;

/// <summary>
/// Failure detection and the orphan sweep shortened from Orleans' defaults (tens of seconds), so that a killed
/// silo's threads come back on another silo within seconds: the demo's <c>--kill-silo</c> and the failover tests must
/// stay short. Owned by the demo's cluster; the silo processes of the multi-process test and the in-process silos of
/// the Orleans tests use the same values (the file is linked into those projects).
/// </summary>
internal static class SiloTimings
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);

    /// <summary>Shortened from Orleans' 30 seconds, as the sweep interval is: it bounds a call lost with a killed silo.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    public static void Shorten(ISiloBuilder silo)
    {
        silo.Configure<ReminderOptions>(o =>
        {
            o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
            o.RefreshReminderListPeriod = TimeSpan.FromSeconds(1);
            o.ReminderLoadingWindow = TimeSpan.FromSeconds(2);
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        });

        // A call Orleans routed to the killed silo before its death was declared waits this long for its answer.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
    }
}
