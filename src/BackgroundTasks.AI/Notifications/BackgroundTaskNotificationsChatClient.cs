using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI;

/// <summary>
/// Before each call to the inner client, appends one message listing this thread's tasks that ended since the previous
/// call (id, name, status, result or error), so the model learns of them without polling.
/// </summary>
/// <remarks>
/// <para>
/// Put it inside <see cref="FunctionInvokingChatClient"/> (<c>builder.UseFunctionInvocation().Use(inner =&gt; new
/// BackgroundTaskNotificationsChatClient(inner, manager, thread))</c>), so every round trip of the function loop gets the
/// news. Nothing is added when nothing ended. Keep one client per conversation, and dispose it with the conversation:
/// it listens to the thread's events until then.
/// </para>
/// <para>
/// The notices are built from the thread's numbered event stream (<see cref="ThreadTasks.ObserveEvents(long?)"/>), which
/// the client follows from the moment it is created: tasks that had already ended are not reported, and each terminal
/// event after that is reported exactly once, in the order the tasks ended, even when a retention limit has pruned the
/// task's record by the next call (its name is the record's as the task ended). A notice whose inner call fails is
/// reported again on the next call; overlapping calls each report different tasks. At most 50 tasks are listed per
/// notice, the rest in the next ones. If more end between two calls than the client holds (250) and the manager's
/// replay ring keeps (<see cref="BackgroundTaskManagerOptions.EventReplayCapacityPerOwner"/>), the ones that fell out
/// are not listed, and the notice says that others may have ended and that <c>task_list</c> shows them.
/// </para>
/// <para>
/// The notice (a user message with author <c>background_tasks</c>) is also put first in the response's messages, so a
/// caller that appends the response to its history, as the function loop does, keeps it in order.
/// </para>
/// </remarks>
public sealed class BackgroundTaskNotificationsChatClient : DelegatingChatClient
{
    private readonly EndedTaskFeed _ended;

    /// <summary>Wraps <paramref name="inner"/> with the notices of <paramref name="ownerThreadId"/>'s tasks.</summary>
    /// <param name="inner">The client the notices go to.</param>
    /// <param name="manager">The manager that runs the tasks.</param>
    /// <param name="ownerThreadId">The conversation's owner thread.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty.</exception>
    public BackgroundTaskNotificationsChatClient(IChatClient inner, BackgroundTaskManager manager, string ownerThreadId)
        : this(inner, manager, ownerThreadId, EndedTaskFeed.DefaultCapacity)
    {
    }

    /// <summary>As the public constructor, holding at most <paramref name="capacity"/> ended tasks between calls (tests).</summary>
    internal BackgroundTaskNotificationsChatClient(IChatClient inner, BackgroundTaskManager manager, string ownerThreadId, int capacity)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        _ended = new EndedTaskFeed(manager.ForThread(ownerThreadId), capacity);
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var batch = _ended.Take(TaskNotice.MaxTasks);
        if (batch.IsEmpty)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var notice = TaskNotice.Create(batch);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync([.. messages, notice], options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ended.Release(batch);
            throw;
        }

        response.Messages.Insert(0, notice);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var batch = _ended.Take(TaskNotice.MaxTasks);
        if (batch.IsEmpty)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var notice = TaskNotice.Create(batch);
        var delivered = false;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync([.. messages, notice], options, cancellationToken).ConfigureAwait(false))
            {
                if (!delivered)
                {
                    // The inner client has answered, so the model has the notice: it is delivered before anything is handed on.
                    delivered = true;
                    yield return AsUpdate(notice);
                }

                yield return update;
            }

            if (!delivered)
            {
                // An answer with no updates is still an answer.
                delivered = true;
                yield return AsUpdate(notice);
            }
        }
        finally
        {
            if (!delivered)
            {
                _ended.Release(batch);
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ended.Dispose();
        }

        base.Dispose(disposing);
    }

    private static ChatResponseUpdate AsUpdate(ChatMessage notice) => new(notice.Role, notice.Contents)
    {
        AuthorName = notice.AuthorName,
        MessageId = notice.MessageId,
        AdditionalProperties = notice.AdditionalProperties,
    };
}
