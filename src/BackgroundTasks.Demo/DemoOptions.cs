using System.Globalization;

namespace BackgroundTasks.Demo;

/// <summary>The demo's command line.</summary>
internal sealed record DemoOptions
{
    public const string DefaultDatabase = "backgroundtasks-demo.db";

    public const string Usage = """
        BackgroundTasks demo: a lead agent runs research sub-agents as tracked
        background tasks.

        Usage: dotnet run --project src/BackgroundTasks.Demo -- [options]

        Options:
          --plain        Print plain, timestamped lines instead of the live view.
                         Implied when the output is redirected or the terminal is
                         not interactive (CI, logs).
          --fast         Shrink the simulated work about fifty times (the scenario
                         is the same).
          --restart      Recovery: list the tasks a previous, killed run left
                         running (now orphaned) in the database, then run the
                         scenario again.
          --agent        A scripted model drives the scenario through the agent
                         tools (spawn_agent, task_wait, send_message, ...) and the
                         conversation is printed as a transcript.
          --db <path>    The database file (default: backgroundtasks-demo.db in
                         the working directory).
          --cluster <n>  Scale-out on Orleans: start n silos (1 to 5) and a client
                         in this process (localhost clustering, silo-1 the
                         primary; the tasks live in memory shared by the silos, no
                         server needed) and run the research as three
                         conversation threads, one thread grain each, showing
                         which silo hosts which thread. Plain lines only; no
                         database, so not with --db, --restart or --agent.
          --kill-silo    With --cluster 2 or more: midway, kill the silo hosting
                         the market thread (an ungraceful stop of that silo's
                         host in this process; never the primary). Its running
                         tasks come back as orphans on another silo, and the lead
                         respawns its agent there with the next id.
          -h, --help     Show this help.

        Exit code: 0 when the scenario ran as scripted; 1 when it did not, the
        database could not be opened (another demo holds it, for one) or the
        cluster did not start; 2 for a bad command line.
        """;

    /// <summary>The most silos <c>--cluster</c> starts: each is a full silo on two shared cores.</summary>
    public const int MaxSilos = 5;

    public bool Plain { get; init; }

    public bool Fast { get; init; }

    public bool Restart { get; init; }

    public bool Help { get; init; }

    public bool Agent { get; init; }

    public string Database { get; init; } = DefaultDatabase;

    /// <summary>Whether <c>--db</c> was given (the cluster mode has no database).</summary>
    public bool DatabaseGiven { get; init; }

    /// <summary>The number of silos of <c>--cluster</c>, or null for the in-process demo.</summary>
    public int? Cluster { get; init; }

    public bool KillSilo { get; init; }

    /// <summary>How much of the simulated work's nominal duration to spend.</summary>
    public double TimeScale => Fast ? 0.02 : 1.0;

    /// <summary>Parses the arguments; <paramref name="error"/> says what is wrong when it returns null.</summary>
    public static DemoOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new DemoOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--plain":
                    options = options with { Plain = true };
                    break;
                case "--fast":
                    options = options with { Fast = true };
                    break;
                case "--restart":
                    options = options with { Restart = true };
                    break;
                case "--agent":
                    options = options with { Agent = true };
                    break;
                case "-h" or "--help" or "-?":
                    options = options with { Help = true };
                    break;
                case "--db" when i + 1 < args.Count && !string.IsNullOrWhiteSpace(args[i + 1]):
                    options = options with { Database = args[++i], DatabaseGiven = true };
                    break;
                case "--db":
                    error = "--db needs a file path.";
                    return null;
                case "--cluster" when i + 1 < args.Count
                    && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var silos) && silos is >= 1 and <= MaxSilos:
                    options = options with { Cluster = silos };
                    i++;
                    break;
                case "--cluster":
                    error = string.Format(CultureInfo.InvariantCulture, "--cluster needs a number of silos from 1 to {0}.", MaxSilos);
                    return null;
                case "--kill-silo":
                    options = options with { KillSilo = true };
                    break;
                default:
                    error = string.Format(CultureInfo.InvariantCulture, "Unknown option '{0}'.", args[i]);
                    return null;
            }
        }

        error = options.Conflict();
        return error is null ? options : null;
    }

    /// <summary>What is wrong with this combination of options, or null.</summary>
    private string? Conflict()
    {
        if (KillSilo && Cluster is null)
        {
            return "--kill-silo needs --cluster <n>: the in-process demo has no silo to kill.";
        }

        if (KillSilo && Cluster == 1)
        {
            return "--kill-silo needs --cluster 2 or more: the primary silo is never killed.";
        }

        if (Cluster is not null && Agent)
        {
            return "--cluster cannot be combined with --agent (one in-process manager).";
        }

        var stored = Cluster is null ? null : Restart ? "--restart" : DatabaseGiven ? "--db" : null;
        return stored is null ? null
            : string.Format(CultureInfo.InvariantCulture, "--cluster cannot be combined with {0}: the cluster has no database.", stored);
    }
}
