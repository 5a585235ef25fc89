using Remediation.Schedules;

namespace Remediation.Activities.Rollouts;

/// <summary>Which deferred runs to collect: those waiting for one window occurrence on the given targets.</summary>
public sealed record DeferredRunsQuery(WindowOccurrence Occurrence, IReadOnlyList<string> Targets);
