namespace Remediation.Activities.Services;

/// <summary>
/// An outage that began in an earlier, interrupted delivery of a step and was measured afterwards from the target's own
/// evidence (the service manager's records, the service's log, the first successful probe), on the server's clock.
/// </summary>
/// <param name="DownFromUtc">When the old process began to stop.</param>
/// <param name="DownUntilUtc">When the new one said it listens, or answered its probe.</param>
/// <param name="Method">What was read and how the bounds were chosen, for the record.</param>
public sealed record EarlierOutage(DateTime DownFromUtc, DateTime DownUntilUtc, string Method)
{
    public double Seconds => Math.Round((DownUntilUtc - DownFromUtc).TotalSeconds, 3);
}
