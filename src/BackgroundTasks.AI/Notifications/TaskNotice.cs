using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI;

/// <summary>The message that tells the model which background tasks ended.</summary>
internal static class TaskNotice
{
    /// <summary>Longest result or error quoted, in characters; the model calls <c>task_status</c> for the rest.</summary>
    public const int MaxDetailLength = 400;

    /// <summary>Most tasks listed in one notice; the others are listed in the next.</summary>
    public const int MaxTasks = 50;

    /// <summary>Set in <see cref="ChatMessage.AdditionalProperties"/> of every notice, so callers can tell notices apart.</summary>
    public const string MarkerProperty = "background_tasks_notice";

    public static ChatMessage Create(IReadOnlyList<TaskSummary> ended)
    {
        var text = new StringBuilder(Messages.NoticeHeader).Append(' ')
            .Append(ended.Count == 1 ? "1 background task ended" : $"{ended.Count.ToString(CultureInfo.InvariantCulture)} background tasks ended")
            .Append(" since your last turn:");
        foreach (var summary in ended)
        {
            text.Append('\n').Append("- ").Append(summary.TaskId);
            if (summary.Name is { } name)
            {
                text.Append(" (").Append(Shorten(name)).Append(')');
            }

            text.Append(' ').Append(summary.Status.AsString());
            if (Detail(summary) is { } detail)
            {
                text.Append(": ").Append(Shorten(detail));
            }
        }

        return new ChatMessage(ChatRole.User, text.ToString())
        {
            AuthorName = "background_tasks",
            MessageId = "background_tasks_notice_" + Guid.NewGuid().ToString("N"),
            AdditionalProperties = new() { [MarkerProperty] = true },
        };
    }

    private static string? Detail(TaskSummary summary) => summary.Status switch
    {
        BackgroundTaskStatus.Completed when summary.Result is { ValueKind: not JsonValueKind.Undefined } result => result.GetRawText(),
        _ => summary.Error,
    };

    private static string Shorten(string text) =>
        text.Length <= MaxDetailLength
            ? text
            : string.Concat(text.AsSpan(0, MaxDetailLength), "… (", text.Length.ToString(CultureInfo.InvariantCulture),
                " characters in all; task_status gives the rest)");
}
