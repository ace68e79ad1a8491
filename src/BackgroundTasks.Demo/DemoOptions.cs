using System.Globalization;

namespace BackgroundTasks.Demo;

/// <summary>The demo's command line.</summary>
internal sealed record DemoOptions
{
    public const string DefaultDatabase = "backgroundtasks-demo.db";

    public const string Usage = """
        BackgroundTasks demo: a lead agent runs research sub-agents as tracked background tasks.

        Usage: dotnet run --project src/BackgroundTasks.Demo -- [options]

        Options:
          --plain          Print plain, timestamped lines instead of the live view. Implied when the output
                           is redirected or the terminal is not interactive (CI, logs).
          --fast           Shrink the simulated work about fifty times (the scenario is the same).
          --restart        Recovery: list the tasks a previous, killed run left running (now orphaned) in
                           the database, then run the scenario again.
          --db <path>      The database file (default: backgroundtasks-demo.db in the working directory).
          -h, --help       Show this help.

        Exit code: 0 when the scenario ran as scripted, 1 when it did not or the database could not be
        opened (another demo holds it, for one), 2 for a bad command line.
        """;

    public bool Plain { get; init; }

    public bool Fast { get; init; }

    public bool Restart { get; init; }

    public bool Help { get; init; }

    public string Database { get; init; } = DefaultDatabase;

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
                case "-h" or "--help" or "-?":
                    options = options with { Help = true };
                    break;
                case "--db" when i + 1 < args.Count && !string.IsNullOrWhiteSpace(args[i + 1]):
                    options = options with { Database = args[++i] };
                    break;
                case "--db":
                    error = "--db needs a file path.";
                    return null;
                default:
                    error = string.Format(CultureInfo.InvariantCulture, "Unknown option '{0}'.", args[i]);
                    return null;
            }
        }

        return options;
    }
}
