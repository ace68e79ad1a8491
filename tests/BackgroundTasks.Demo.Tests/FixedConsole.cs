using Spectre.Console;
using Spectre.Console.Rendering;

namespace BackgroundTasks.Demo.Tests;

/// <summary>Renders Spectre.Console output as a terminal of a fixed size would show it, without colours: deterministic text to assert on.</summary>
internal static class FixedConsole
{
    public static string[] Render(IRenderable renderable, int width, int height)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        console.Profile.Height = height;
        console.Write(renderable);
        return [.. writer.ToString().TrimEnd().Split('\n').Select(line => line.TrimEnd('\r', ' '))];
    }
}
