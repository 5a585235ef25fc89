using Remediation.Activities.Services;
using Remediation.Probes;
using Remediation.ServiceManagers;

namespace Remediation.Runs;

/// <summary>
/// The runbook's "Success Criteria Checklist", judged from verification evidence of the whole target. A criterion
/// that this run cannot measure is "not evaluated" with the reason — never passed by default.
/// </summary>
public static class SuccessCriteriaEvaluator
{
    /// <summary>The runbook's "Response times normal (&lt;2 seconds)".</summary>
    public static readonly TimeSpan NormalResponseTime = TimeSpan.FromSeconds(2);

    public static IReadOnlyList<SuccessCriterion> Evaluate(VerificationReport evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return
        [
            AllServicesRunning(evidence),
            NoErrorsInLogs(evidence.Logs),
            HttpOk(evidence.Probes),
            DatabaseAccepting(evidence.Database),
            UsersCanLogIn(evidence),
            ResponseTimesNormal(evidence),
            new SuccessCriterion("No spike in error rates", CriterionStatus.NotEvaluated,
                "error rates are watched by the post-restart monitor over the first hour, not by this run", Critical: false),
        ];
    }

    private static SuccessCriterion AllServicesRunning(VerificationReport evidence)
    {
        const string name = "All services show \"active (running)\" status";
        if (evidence.Statuses.Count == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "no status was read", Critical: true);
        }

        List<string> problems = [.. evidence.Statuses.Where(s => s.Status.State != ServiceState.Running).Select(s => s.ToString())];
        problems.AddRange(evidence.Processes.Where(p => p.Processes.Count == 0).Select(p => $"{p.Service} has no {p.Pattern} process of {p.User}"));
        problems.AddRange(evidence.Ports.Where(p => !p.Listening).Select(p => p.ToString()));
        string detail = string.Join(", ", evidence.Statuses)
            + (evidence.Ports.Count > 0 ? "; ports " + string.Join(", ", evidence.Ports) : "")
            + (problems.Count > 0 ? "; problems: " + string.Join("; ", problems) : "");
        return new SuccessCriterion(name, problems.Count == 0 ? CriterionStatus.Passed : CriterionStatus.Failed, detail, Critical: true);
    }

    private static SuccessCriterion NoErrorsInLogs(IReadOnlyList<LogScan> logs)
    {
        const string name = "No error messages in logs";
        if (logs.Count == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "no log files are configured for the target's services", Critical: false);
        }

        int errors = logs.Sum(l => l.ErrorLineCount);
        if (errors == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.Passed,
                $"no ERROR/CRITICAL lines since the run began in {string.Join(", ", logs.Select(l => l.Path))}", Critical: false);
        }

        string where = string.Join("; ", logs.Where(l => l.ErrorLineCount > 0).Select(l => $"{l.ErrorLineCount} in {l.Path}, first: {(l.FirstErrorLines.Count > 0 ? l.FirstErrorLines[0] : "")}"));
        return new SuccessCriterion(name, CriterionStatus.Failed, $"{errors} error line(s) since the run began: {where}", Critical: false);
    }

    private static SuccessCriterion HttpOk(IReadOnlyList<ServiceProbe> probes)
    {
        const string name = "HTTP response code 200";
        List<ServiceProbe> http = [.. probes.Where(p => p.IsHttp)];
        if (http.Count == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "no service has an HTTP readiness probe", Critical: true);
        }

        bool all = http.All(p => p.Result.StatusCode == 200);
        return new SuccessCriterion(name, all ? CriterionStatus.Passed : CriterionStatus.Failed,
            string.Join("; ", http.Select(p => $"{p.Probe}: {p.Result.Detail}")), Critical: true);
    }

    private static SuccessCriterion DatabaseAccepting(ProbeResult? database)
    {
        const string name = "Database accepting connections";
        return database is null
            ? new SuccessCriterion(name, CriterionStatus.NotEvaluated, "the target has no database in the inventory", Critical: true)
            : new SuccessCriterion(name, database.Healthy ? CriterionStatus.Passed : CriterionStatus.Failed, database.Detail, Critical: true);
    }

    private static SuccessCriterion UsersCanLogIn(VerificationReport evidence)
    {
        const string name = "Users can log in";
        if (evidence.Login is { } login)
        {
            return new SuccessCriterion(name, login.Healthy ? CriterionStatus.Passed : CriterionStatus.Failed, login.Detail, Critical: false);
        }

        return new SuccessCriterion(name, CriterionStatus.NotEvaluated,
            evidence.LoginNotAttempted ?? "no login was attempted", Critical: false);
    }

    private static SuccessCriterion ResponseTimesNormal(VerificationReport evidence)
    {
        const string name = "Response times normal (<2 seconds)";
        List<(string What, ProbeResult Result)> timed = [.. evidence.Probes.Where(p => p.IsHttp).Select(p => (p.Probe, p.Result))];
        if (evidence.Dashboard is { } dashboard)
        {
            timed.Add(("dashboard (/web)", dashboard));
        }

        if (evidence.Login is { } login)
        {
            timed.Add(("login", login));
        }

        if (timed.Count == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "nothing answers over HTTP on this target", Critical: false);
        }

        bool normal = timed.All(t => t.Result.Healthy && t.Result.LatencyMs < NormalResponseTime.TotalMilliseconds);
        return new SuccessCriterion(name, normal ? CriterionStatus.Passed : CriterionStatus.Failed,
            string.Join("; ", timed.Select(t => $"{t.What} {t.Result.LatencyMs} ms{(t.Result.Healthy ? "" : $" ({t.Result.Detail})")}")), Critical: false);
    }
}
