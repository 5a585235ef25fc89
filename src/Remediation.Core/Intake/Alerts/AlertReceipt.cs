namespace Remediation.Intake.Alerts;

/// <summary>The durable record of one webhook call: when, from which source, and each alert's outcome (ignored ones with the reason).</summary>
public sealed record AlertReceipt(string Id, string Source, DateTime ReceivedUtc, IReadOnlyList<AlertOutcome> Alerts);
