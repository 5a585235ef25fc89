using System.Collections.Concurrent;
using Remediation.Schedules;
using Remediation.Schedules.Scheduling;

namespace Remediation.Tests.Schedules;

/// <summary>Occurrence claims with the blob store's rule (create only if absent), shared by the schedulers of one test.</summary>
internal sealed class InMemoryOccurrenceClaims(TimeProvider? clock = null) : IOccurrenceClaims
{
    private readonly ConcurrentDictionary<string, (string Claimant, DateTimeOffset At)> _claims = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public IReadOnlyDictionary<string, string> Claims => _claims.ToDictionary(c => c.Key, c => c.Value.Claimant, StringComparer.Ordinal);

    public Task<bool> TryClaimAsync(WindowOccurrence occurrence, string claimant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        return Task.FromResult(_claims.TryAdd(occurrence.InstanceId, (claimant, _clock.GetUtcNow())));
    }

    public Task<bool> TryTakeOverAsync(WindowOccurrence occurrence, string claimant, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        DateTimeOffset now = _clock.GetUtcNow();
        return Task.FromResult(_claims.TryGetValue(occurrence.InstanceId, out var held) && now - held.At >= olderThan
            && _claims.TryUpdate(occurrence.InstanceId, (claimant, now), held));
    }

    public Task ReleaseAsync(WindowOccurrence occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        _claims.TryRemove(occurrence.InstanceId, out _);
        return Task.CompletedTask;
    }
}
