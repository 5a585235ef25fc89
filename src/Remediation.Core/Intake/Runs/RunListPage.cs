namespace Remediation.Intake.Runs;

/// <summary>
/// One page of runs. It can hold fewer than the page size asked for — even none — when runs were dropped by a filter the
/// task hub cannot apply (target alone); follow <see cref="ContinuationToken"/> until it is null.
/// </summary>
public sealed record RunListPage(IReadOnlyList<RunSummary> Items, string? ContinuationToken, int PageSize);
