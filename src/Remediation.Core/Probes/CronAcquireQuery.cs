using System.Text.RegularExpressions;

namespace Remediation.Probes;

/// <summary>
/// Recognises the job-acquire query of Odoo's cron worker (ir.cron._acquire_one_job) in pg_stat_activity and reads the
/// job id out of it. psycopg2 interpolates parameters client-side, so the server sees literals: 16.0 and 17.0 send
/// <c>AND id in (7)</c> (a 1-tuple), 18.0 sends <c>AND id = 7</c>; later versions <c>WHERE id = 7 AND …</c>.
/// </summary>
public static partial class CronAcquireQuery
{
    /// <summary>The filter pg_stat_activity is searched with (ILIKE): the lock clause every version uses.</summary>
    public const string LockClauseLike = "%FOR NO KEY UPDATE%SKIP LOCKED%";

    /// <summary>True when <paramref name="query"/> reads ir_cron with the cron worker's row lock.</summary>
    public static bool IsAcquireQuery(string? query) =>
        query is not null && FromIrCron().IsMatch(query) && LockClause().IsMatch(query);

    /// <summary>The job ids the query locks (one in every Odoo version); empty when it is not an acquire query.</summary>
    public static IReadOnlyList<int> ParseJobIds(string? query)
    {
        if (!IsAcquireQuery(query))
        {
            return [];
        }

        var ids = new List<int>();
        foreach (Match match in JobIdCondition().Matches(query!))
        {
            string list = match.Groups["list"].Success ? match.Groups["list"].Value : match.Groups["one"].Value;
            foreach (string part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id) && !ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    [GeneratedRegex(@"\bFROM\s+""?ir_cron""?(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FromIrCron();

    [GeneratedRegex(@"\bFOR\s+NO\s+KEY\s+UPDATE\b(?:\s+OF\s+""?ir_cron""?)?\s+SKIP\s+LOCKED\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LockClause();

    // "id" as a whole word (not cron_id, not ir_cron.id compared with a column), optionally qualified by ir_cron.
    [GeneratedRegex(@"(?<![\w.])(?:""?ir_cron""?\.)?""?id""?\s*(?:in\s*\(\s*(?<list>\d+(?:\s*,\s*\d+)*)\s*\)|=\s*(?<one>\d+)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JobIdCondition();
}
