using System.Globalization;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>
/// Writes change sets as short text, so recorded messages compare as values and a failure shows what arrived:
/// <c>+a=1</c> an Add, <c>~a=2/1</c> an Update (current/previous), <c>-a=1</c> a Remove, <c>*a=1</c> a Refresh.
/// </summary>
internal static class ChangeText
{
    public static string Of<TObject, TKey>(IEnumerable<Change<TObject, TKey>> changes, Func<TObject, string> show)
        where TObject : class
        where TKey : notnull =>
        string.Join(' ', changes.Select(change => change.Reason switch
        {
            ChangeReason.Add => $"+{change.Key}={show(change.Current)}",
            ChangeReason.Update => $"~{change.Key}={show(change.Current)}/{show(change.Previous!)}",
            ChangeReason.Remove => $"-{change.Key}={show(change.Current)}",
            _ => $"*{change.Key}={show(change.Current)}",
        }));

    public static string Of(IEnumerable<Change<Item, string>> changes) => Of(changes, static item => item.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The items of a snapshot as <c>a=1 b=2</c>, ordered by key.</summary>
    public static string Items(IEnumerable<Item> items) =>
        string.Join(' ', items.OrderBy(item => item.Key, StringComparer.Ordinal).Select(item => $"{item.Key}={item.Value}"));
}
