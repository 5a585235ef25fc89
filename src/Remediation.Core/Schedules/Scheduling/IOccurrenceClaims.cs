namespace Remediation.Schedules.Scheduling;

/// <summary>
/// One firing per window occurrence across every scheduler process: a claim is created atomically in storage, so of two
/// processes claiming the same occurrence exactly one gets it.
/// </summary>
public interface IOccurrenceClaims
{
    /// <summary>Claims <paramref name="occurrence"/> for this process; false when another process (or an earlier tick) has.</summary>
    Task<bool> TryClaimAsync(WindowOccurrence occurrence, string claimant, CancellationToken cancellationToken);

    /// <summary>
    /// Takes over a claim taken longer than <paramref name="olderThan"/> ago — its claimant died between the claim and
    /// the scheduling (the caller has found no run of the occurrence). Atomic: of several processes, one gets it.
    /// </summary>
    Task<bool> TryTakeOverAsync(WindowOccurrence occurrence, string claimant, TimeSpan olderThan, CancellationToken cancellationToken);

    /// <summary>Gives a claim back when scheduling failed after it was taken, so the next tick tries again.</summary>
    Task ReleaseAsync(WindowOccurrence occurrence, CancellationToken cancellationToken);
}
