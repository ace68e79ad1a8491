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
/// news. Nothing is added when nothing ended. Each ended task is reported once: a notice whose inner call fails is
/// reported again on the next call. Tasks that had already ended when the client was created are not reported; keep
/// one client per conversation.
/// </para>
/// <para>
/// The notice (a user message with author <c>background_tasks</c>) is also put first in the response's messages, so a
/// caller that appends the response to its history, as the function loop does, keeps it in order.
/// </para>
/// </remarks>
public sealed class BackgroundTaskNotificationsChatClient : DelegatingChatClient
{
    private readonly EndedTaskLedger _ledger;

    /// <summary>Wraps <paramref name="inner"/> with the notices of <paramref name="ownerThreadId"/>'s tasks.</summary>
    /// <param name="inner">The client the notices go to.</param>
    /// <param name="manager">The manager that runs the tasks.</param>
    /// <param name="ownerThreadId">The conversation's owner thread.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty.</exception>
    public BackgroundTaskNotificationsChatClient(IChatClient inner, BackgroundTaskManager manager, string ownerThreadId)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        _ledger = new EndedTaskLedger(manager.ForThread(ownerThreadId));
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ended = await _ledger.TakeAsync(TaskNotice.MaxTasks).ConfigureAwait(false);
        if (ended.Count == 0)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var notice = TaskNotice.Create(ended);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync([.. messages, notice], options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ledger.Release(ended);
            throw;
        }

        _ledger.Settle(ended);
        response.Messages.Insert(0, notice);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ended = await _ledger.TakeAsync(TaskNotice.MaxTasks).ConfigureAwait(false);
        if (ended.Count == 0)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var notice = TaskNotice.Create(ended);
        var settled = false;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync([.. messages, notice], options, cancellationToken).ConfigureAwait(false))
            {
                if (!settled)
                {
                    // The inner client has answered, so the model has the notice: settle before handing anything on.
                    _ledger.Settle(ended);
                    settled = true;
                    yield return AsUpdate(notice);
                }

                yield return update;
            }

            if (!settled)
            {
                // An answer with no updates is still an answer.
                _ledger.Settle(ended);
                settled = true;
                yield return AsUpdate(notice);
            }
        }
        finally
        {
            if (!settled)
            {
                _ledger.Release(ended);
            }
        }
    }

    private static ChatResponseUpdate AsUpdate(ChatMessage notice) => new(notice.Role, notice.Contents)
    {
        AuthorName = notice.AuthorName,
        MessageId = notice.MessageId,
        AdditionalProperties = notice.AdditionalProperties,
    };
}
