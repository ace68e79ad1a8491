using Spectre.Console;

namespace BackgroundTasks.Demo;

/// <summary>Fixed-width cells for the views: text cut to a width (with an ellipsis) and padded, so columns line up and no line wraps.</summary>
internal static class TextCells
{
    /// <summary>The column separator of the views.</summary>
    public const string Gap = "  ";

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> cells, ending in … when cut; not padded.</summary>
    public static string Cut(string text, int width) =>
        width <= 0 ? string.Empty
        : text.Length <= width ? text
        : string.Concat(text.AsSpan(0, width - 1), "…");

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> cells and padded to exactly that width.</summary>
    public static string Fit(string text, int width) => Cut(text, width).PadRight(Math.Max(0, width));

    /// <summary>A fitted cell as markup, in <paramref name="style"/> when given (the padding stays unstyled).</summary>
    public static string Styled(string text, int width, string? style = null)
    {
        var cut = Cut(text, width);
        var padding = new string(' ', Math.Max(0, width - cut.Length));
        return style is null ? Markup.Escape(cut) + padding : $"[{style}]{Markup.Escape(cut)}[/]{padding}";
    }
}
