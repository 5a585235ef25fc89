namespace Remediation.Intake.Alerts;

/// <summary>A payload's alerts, or why it could not be read (answered 400 with that reason).</summary>
public sealed record AlertParseResult(IReadOnlyList<Alert> Alerts, string? Error)
{
    public static AlertParseResult Of(IReadOnlyList<Alert> alerts) => new(alerts, null);

    public static AlertParseResult Invalid(string error) => new([], error);
}
