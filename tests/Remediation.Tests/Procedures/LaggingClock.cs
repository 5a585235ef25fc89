namespace Remediation.Tests.Procedures;

/// <summary>The system clock, its wall time set back: what an activity result looks like when it reaches the orchestrator late.</summary>
internal sealed class LaggingClock(TimeSpan lag) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - lag;
}
