using System.Globalization;
using Remediation.Probes;

namespace Remediation.Activities.Postgresql;

/// <summary>Runbook §2 "Pre-Restart Checks": connections by state and the queries running longer than the threshold.</summary>
public sealed record PostgresqlActivityReport(IReadOnlyList<ConnectionStateCount> Connections, IReadOnlyList<LongRunningQuery> LongQueries, int ThresholdSeconds)
{
    /// <summary>Query text kept in a record: enough to recognise the query, short enough to never carry a data dump.</summary>
    public const int RecordedQueryLength = 200;

    public string Summary =>
        $"{Connections.Sum(c => c.Total)} connection(s) ({string.Join(", ", Connections.Select(c => $"{c.Total} {c.State ?? "no state"}"))}); "
        + $"{LongQueries.Count} quer{(LongQueries.Count == 1 ? "y" : "ies")} active for more than {ThresholdSeconds} s";

    public IReadOnlyList<string> Evidence => [.. LongQueries.Select(Describe)];

    /// <summary>Reasons not to restart now: each long-running query, named.</summary>
    public IReadOnlyList<string> Blockers() => [.. LongQueries.Select(q => "long-running query " + Describe(q))];

    private static string Describe(LongRunningQuery query)
    {
        string text = query.Query.ReplaceLineEndings(" ").Trim();
        if (text.Length > RecordedQueryLength)
        {
            text = text[..RecordedQueryLength] + "…";
        }

        return string.Create(CultureInfo.InvariantCulture, $"pid {query.Pid}, running {query.Duration.TotalSeconds:0} s: {text}");
    }
}
