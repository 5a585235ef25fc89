namespace Remediation.Intake.Budget;

/// <summary>Anti-flapping (<c>RestartBudget</c>): how many automatic restarts of a service a window allows, and the soak window after one.</summary>
public sealed class RestartBudgetOptions
{
    public const string Section = "RestartBudget";

    /// <summary>Restarts of one service (by any trigger) within <see cref="Window"/> past which an automatic trigger escalates instead.</summary>
    public int MaxRestarts { get; set; } = 3;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A service that fires again this soon after an automatic remediation counts that remediation as failed.</summary>
    public TimeSpan SoakWindow { get; set; } = TimeSpan.FromMinutes(10);
}
