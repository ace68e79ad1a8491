namespace BackgroundTasks.Sqlite.Tests;

/// <summary>A fact about Linux behaviour (flock, /proc/locks, links): skipped, saying so, on other systems.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: it checks flock, /proc/locks or symbolic and hard links.";
        }
    }
}

/// <summary>A theory about Linux behaviour: skipped, saying so, on other systems.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: it checks flock, /proc/locks or symbolic and hard links.";
        }
    }
}
