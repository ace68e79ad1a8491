using System.Text.Json;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI;

/// <summary>
/// One of the tools: a fixed name, description and JSON schema, and a body that reads untrusted arguments itself.
/// </summary>
/// <remarks>
/// A subclass of <see cref="AIFunction"/> rather than <see cref="AIFunctionFactory"/> so that argument checking stays in
/// our hands: a bad argument becomes an <c>invalid_arguments</c> result instead of a binding exception, and nothing a
/// model sends escapes as an exception. Only the caller's own cancellation propagates, as every tool's does.
/// </remarks>
internal abstract class BackgroundTaskFunction : AIFunction
{
    private readonly JsonElement _schema;

    protected BackgroundTaskFunction(string name, string description, string schema)
    {
        Name = name;
        Description = description;
        _schema = JsonDocument.Parse(schema).RootElement.Clone();
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override JsonElement JsonSchema => _schema;

    /// <summary>Runs the tool on checked arguments.</summary>
    /// <param name="arguments">The model's arguments, read through checked getters.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>The JSON result.</returns>
    protected abstract Task<JsonElement> InvokeCheckedAsync(ToolArguments arguments, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected sealed override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await InvokeCheckedAsync(new ToolArguments(arguments), cancellationToken).ConfigureAwait(false);
        }
        catch (ToolArgumentException exception)
        {
            return ToolResults.Error(ToolResults.InvalidArguments, exception.Message);
        }
        catch (ArgumentException exception)
        {
            // The manager's own checks (a name it refuses, say) are about the model's input too.
            return ToolResults.Error(ToolResults.InvalidArguments, exception.Message);
        }
    }
}
