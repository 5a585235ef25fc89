namespace Remediation.Activities.Services;

/// <summary>Whether this attempt took the restart claim, and how old the claim is when another attempt holds it.</summary>
public sealed record ClaimOutcome(bool Taken, TimeSpan? HeldFor);
