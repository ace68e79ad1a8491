using System.Globalization;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>
/// <c>--cluster n</c> (and <c>--kill-silo</c>): the research scenario across n silos of this process, printed as plain
/// lines cut to <see cref="Width"/> columns, then a table of outcomes per thread.
/// </summary>
internal static class ClusterMode
{
    /// <summary>The width every line is cut to: readable on an 80-column terminal.</summary>
    public const int Width = 80;

    public static async Task<int> RunAsync(DemoOptions options, TextWriter output)
    {
        // Boards of several threads and the lead write from different flows; each line goes out whole.
        var writer = TextWriter.Synchronized(output);
        void WriteLine(string line) => writer.WriteLine(TextCells.Cut(line, Width));
        var started = TimeProvider.System.GetTimestamp();
        void Narrate(string text) =>
            WriteLine(string.Format(CultureInfo.InvariantCulture, "[t+{0:0.00}s] {1}", TimeProvider.System.GetElapsedTime(started).TotalSeconds, text));

        var silos = options.Cluster!.Value;
        WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BackgroundTasks demo --cluster {silos}: {silos} silo(s) and a client in this process"));
        DemoCluster cluster;
        try
        {
            cluster = await DemoCluster.StartAsync(silos, options.TimeScale).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OrleansException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            WriteLine($"demo: the cluster did not start: {exception.Message}");
            return 1;
        }

        await using (cluster.ConfigureAwait(false))
        {
            foreach (var silo in cluster.Silos)
            {
                WriteLine($"cluster: {silo.Name} at {silo.Address.Endpoint}{(silo.IsPrimary ? " (primary: holds the membership table)" : string.Empty)}");
            }

            WriteLine("cluster: thread records and reminders in memory shared by the silos (no server)");
            var scenario = new ClusterScenario(cluster, options.KillSilo, Narrate, WriteLine, started);
            bool succeeded;
            try
            {
                succeeded = await scenario.RunAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or SpawnException or SendException or OrleansException)
            {
                Narrate($"demo: {exception.GetType().Name}: {exception.Message}");
                succeeded = false;
            }

            foreach (var thread in scenario.Threads.Where(thread => thread.Hosts.Count > 0))
            {
                thread.Dispose();
                OutcomeTable.WritePlain(writer, thread.Board.Rows, $"Outcome of {thread.ThreadId}, on {string.Join(", then ", thread.Hosts)}", Width);
            }

            WriteLine(succeeded ? "demo: done" : "demo: the scenario did not go as scripted");
            return succeeded ? 0 : 1;
        }
    }
}
