using BackgroundTasks.Demo.Cluster;
using Spectre.Console;

namespace BackgroundTasks.Demo;

/// <summary>The demo's entry point: <c>dotnet run --project src/BackgroundTasks.Demo -- --help</c>.</summary>
public static class Program
{
    /// <summary>Runs the demo on the console.</summary>
    /// <param name="args">The command line; see <c>--help</c>.</param>
    /// <returns>0 when the scenario ran as scripted, 1 when it did not, the database could not be opened or the cluster did not start, 2 for a bad command line.</returns>
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out);

    /// <summary>Runs the demo, writing to <paramref name="output"/>; plain lines unless it is an interactive console.</summary>
    /// <param name="args">The command line; see <c>--help</c>.</param>
    /// <param name="output">Where to write.</param>
    /// <returns>0 when the scenario ran as scripted, 1 when it did not, the database could not be opened or the cluster did not start, 2 for a bad command line.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var options = DemoOptions.Parse(args, out var error);
        if (options is null || options.Help)
        {
            if (error is not null)
            {
                await output.WriteLineAsync(error).ConfigureAwait(false);
            }

            await output.WriteLineAsync(DemoOptions.Usage).ConfigureAwait(false);
            return error is null ? 0 : 2;
        }

        if (options.Cluster is not null)
        {
            return await ClusterMode.RunAsync(options, output).ConfigureAwait(false);
        }

        var interactive = !options.Plain && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;
        var storeDescription = DemoStore.Describe(options.Database);

        var opened = await TryOpenStoreAsync(options.Database, output).ConfigureAwait(false);
        if (opened is null)
        {
            return 1;
        }

        // Disposed after the manager (declared first), so the database is flushed once every task has ended.
        await using var store = opened;
        await using var manager = new BackgroundTaskManager(store);
        if (options.Agent)
        {
            return await AgentMode.RunAsync(manager, options.TimeScale, output).ConfigureAwait(false);
        }

        var preface = new List<string> { $"BackgroundTasks demo: tasks are kept in {storeDescription}" };
        if (options.Restart)
        {
            preface.AddRange(RestartReport.Lines(store, storeDescription));
        }

        return interactive
            ? await RunLiveAsync(manager, store, preface, options).ConfigureAwait(false)
            : await RunPlainAsync(manager, store, preface, options, output).ConfigureAwait(false);
    }

    /// <summary>The demo's store, or null after one line saying why it cannot be opened (another demo holds it, for one).</summary>
    private static async Task<TaskStateStore?> TryOpenStoreAsync(string database, TextWriter output)
    {
        try
        {
            return await DemoStore.OpenAsync(database, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            // The store's message names the file and, when another store holds it, the holder.
            await output.WriteLineAsync("demo: " + exception.Message).ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<int> RunPlainAsync(BackgroundTaskManager manager, TaskStateStore store, List<string> preface, DemoOptions options, TextWriter output)
    {
        foreach (var line in preface)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        using var board = new TaskBoard(manager, ResearchScenario.OwnerThreadId, output.WriteLine);
        var succeeded = await RunScenarioAsync(new ResearchScenario(manager, store, board, options.TimeScale), board).ConfigureAwait(false);
        OutcomeTable.WritePlain(output, board.Rows);
        await output.WriteLineAsync(succeeded ? "demo: done" : "demo: the scenario did not go as scripted").ConfigureAwait(false);
        return succeeded ? 0 : 1;
    }

    private static async Task<int> RunLiveAsync(BackgroundTaskManager manager, TaskStateStore store, List<string> preface, DemoOptions options)
    {
        var console = AnsiConsole.Console;
        console.Write(new Rule("[bold]BackgroundTasks[/] demo").LeftJustified());
        foreach (var line in preface)
        {
            console.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
        }

        using var board = new TaskBoard(manager, ResearchScenario.OwnerThreadId, static _ => { });
        var scenario = new ResearchScenario(manager, store, board, options.TimeScale);
        var succeeded = await LiveView.RunAsync(console, board, () => RunScenarioAsync(scenario, board)).ConfigureAwait(false);
        console.Write(OutcomeTable.ToRenderable(board.Rows, console.Profile.Width));
        console.MarkupLine(succeeded ? "[green]demo: done[/]" : "[red]demo: the scenario did not go as scripted[/]");
        return succeeded ? 0 : 1;
    }

    private static async Task<bool> RunScenarioAsync(ResearchScenario scenario, TaskBoard board)
    {
        try
        {
            return await scenario.RunAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or SpawnException or SendException)
        {
            board.Narrate($"demo: {exception.GetType().Name}: {exception.Message}");
            return false;
        }
    }
}
