using System.Collections.Concurrent;
using Remediation.Schedules;
using Remediation.Schedules.Scheduling;

namespace Remediation.Tests.Schedules;

/// <summary>Occurrence claims with the blob store's rule (create only if absent), shared by the schedulers of one test.</summary>
internal sealed class InMemoryOccurrenceClaims : IOccurrenceClaims
{
    private readonly ConcurrentDictionary<string, string> _claims = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Claims => _claims;

    public Task<bool> TryClaimAsync(WindowOccurrence occurrence, string claimant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        return Task.FromResult(_claims.TryAdd(occurrence.InstanceId, claimant));
    }

    public Task ReleaseAsync(WindowOccurrence occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        _claims.TryRemove(occurrence.InstanceId, out _);
        return Task.CompletedTask;
    }
}
