namespace BackgroundTasks;

internal static partial class Messages
{
    public static string UndefinedValue(string option) => Format("The value of {0} is not one of its defined values.", option);
}
