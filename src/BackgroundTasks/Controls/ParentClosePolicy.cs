namespace BackgroundTasks;

/// <summary>What happens to a live task when its parent task ends.</summary>
public enum ParentClosePolicy
{
    /// <summary>Nothing: the task runs on (the default, and the behaviour of the plain spawn overloads).</summary>
    Abandon,

    /// <summary>The task's token is cancelled when its parent ends; its own children follow their own policies.</summary>
    Cancel,
}
