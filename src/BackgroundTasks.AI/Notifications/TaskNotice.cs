using System.Globalization;
using System.Text;
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

    public static ChatMessage Create(EndedTaskBatch batch)
    {
        var ended = batch.Tasks;
        var text = new StringBuilder(Messages.NoticeHeader).Append(' ');
        if (ended.Count == 0)
        {
            text.Append(Messages.NoticeUntrackedOnly);
        }
        else
        {
            text.Append(ended.Count == 1 ? "1 background task ended" : $"{ended.Count.ToString(CultureInfo.InvariantCulture)} background tasks ended")
                .Append(" since your last turn:");
        }

        foreach (var task in ended)
        {
            text.Append('\n').Append("- ").Append(task.TaskId);
            if (task.Name is { } name)
            {
                text.Append(" (").Append(name).Append(')');
            }

            text.Append(' ').Append(task.Status.AsString());
            if (task.Detail is { } detail)
            {
                text.Append(": ").Append(detail);
            }
        }

        if (batch.Gap && ended.Count != 0)
        {
            text.Append('\n').Append(Messages.NoticeUntracked);
        }

        return new ChatMessage(ChatRole.User, text.ToString())
        {
            AuthorName = "background_tasks",
            MessageId = "background_tasks_notice_" + Guid.NewGuid().ToString("N"),
            AdditionalProperties = new() { [MarkerProperty] = true },
        };
    }

    /// <summary>The text itself up to <see cref="MaxDetailLength"/> characters, else its start and how long it was.</summary>
    public static string Shorten(string text) =>
        text.Length <= MaxDetailLength
            ? text
            : string.Concat(text.AsSpan(0, MaxDetailLength), "… (", text.Length.ToString(CultureInfo.InvariantCulture),
                " characters in all; task_status gives the rest)");
}
