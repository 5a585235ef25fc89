using Microsoft.Extensions.Options;

namespace Remediation.Intake.Escalations;

/// <summary>
/// One escalation per problem (procedure and service on a target) per <see cref="EscalationOptions.RepeatAfter"/>, across
/// every server process: the first trigger claims the entry by a conditional write and escalates, later ones count on it.
/// </summary>
/// <remarks>
/// The claim is written before the escalation is scheduled, so a process that dies in between leaves a claim naming a run
/// that never existed; a repeat that finds such a claim older than <see cref="SchedulingGrace"/> takes it over and escalates,
/// so the page is late by at most one trigger, never lost. The same holds for an escalation that paged nobody (its run
/// failed, or every notification of it failed): past the grace, the next repeat escalates again.
/// </remarks>
public sealed class EscalationRepeats(IEscalationLog log, IOptions<EscalationOptions> options, TimeProvider time)
{
    /// <summary>How long a claim may name a run that does not exist yet (claimed, not yet scheduled).</summary>
    public static readonly TimeSpan SchedulingGrace = TimeSpan.FromSeconds(30);

    private const int MaxAttempts = 10;
    private const int MaxCountAttempts = 3;

    /// <summary>
    /// Claims the escalation of <paramref name="problem"/> for <paramref name="instanceId"/>, or counts a repeat of the one
    /// that holds it while <paramref name="stands"/> says that one still stands (its run exists and reached someone).
    /// </summary>
    public async Task<EscalationClaim> ClaimAsync(
        string target, string problem, string instanceId, Func<string, CancellationToken, Task<bool>> stands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stands);
        TimeSpan repeatAfter = options.Value.RepeatAfter;

        // Whether a run stands is a read of its instance (with its output): once per run for this trigger, not once per
        // attempt lost to another writer.
        (string? InstanceId, bool Stands) judged = (null, false);
        async Task<bool> StandsAsync(string id)
        {
            if (judged.InstanceId != id)
            {
                judged = (id, await stands(id, cancellationToken));
            }

            return judged.Stands;
        }

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            DateTime now = time.GetUtcNow().UtcDateTime;
            (EscalationEntry? entry, string? etag) = await log.ReadAsync(target, problem, cancellationToken);
            bool current = entry is not null && now - entry.AtUtc < repeatAfter
                && (now - entry.AtUtc < SchedulingGrace || await StandsAsync(entry.InstanceId));
            if (!current)
            {
                if (await log.TryWriteAsync(target, problem, new EscalationEntry(instanceId, now), etag, cancellationToken))
                {
                    return new EscalationClaim(true, instanceId, now, 0, now + repeatAfter) { Previous = entry is { Repeats: > 0 } ? entry : null };
                }

                continue;
            }

            // A current escalation holds the problem: this trigger is a repeat of it. The count is best effort (a few
            // tries against other writers), so that a burst of repeats cannot starve a claim into a second page.
            EscalationEntry counted = entry! with { Repeats = entry!.Repeats + 1, LastRepeatUtc = now };
            if (await log.TryWriteAsync(target, problem, counted, etag, cancellationToken) || attempt >= MaxCountAttempts - 1)
            {
                return new EscalationClaim(false, counted.InstanceId, counted.AtUtc, counted.Repeats, counted.AtUtc + repeatAfter);
            }
        }

        // Ten writers in a row came first: another page is better than none.
        DateTime at = time.GetUtcNow().UtcDateTime;
        return new EscalationClaim(true, instanceId, at, 0, at + repeatAfter);
    }
}
