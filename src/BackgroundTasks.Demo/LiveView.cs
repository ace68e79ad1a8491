using Spectre.Console;
using Spectre.Console.Rendering;

namespace BackgroundTasks.Demo;

/// <summary>
/// The interactive view: a tree of tasks, each with its status and a progress bar, above the journal's
/// last lines (see <see cref="LiveFrame"/>); redrawn, at the console's current size, whenever the board changes
/// (it is fed by Connect and Events, never polled).
/// </summary>
internal static class LiveView
{
    // Caps redraws at about 25 a second; changes in between are drawn together.
    private static readonly TimeSpan s_frame = TimeSpan.FromMilliseconds(40);

    public static async Task<bool> RunAsync(IAnsiConsole console, TaskBoard board, Func<Task<bool>> scenario)
    {
        var run = Task.Run(scenario);
        await console.Live(Render(console, board))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(board.Changed, run).ConfigureAwait(false);
                    context.UpdateTarget(Render(console, board));
                    context.Refresh();
                    await Task.Delay(s_frame).ConfigureAwait(false);
                }

                context.UpdateTarget(Render(console, board));
                context.Refresh();
            }).ConfigureAwait(false);
        return await run.ConfigureAwait(false);
    }

    private static IRenderable Render(IAnsiConsole console, TaskBoard board) =>
        LiveFrame.Render(board.Rows, board.LastLines(LiveFrame.MaxJournalLines), board.Elapsed, DateTimeOffset.UtcNow, console.Profile.Width, console.Profile.Height);
}
