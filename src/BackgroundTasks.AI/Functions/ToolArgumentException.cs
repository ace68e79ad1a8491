namespace BackgroundTasks.AI;

/// <summary>A model's argument is missing, of the wrong type or out of bounds; the tool answers <c>invalid_arguments</c>.</summary>
internal sealed class ToolArgumentException(string message) : Exception(message);
