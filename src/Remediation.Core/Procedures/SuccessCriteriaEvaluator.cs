using Remediation.Activities.Services;
using Remediation.Probes;
using Remediation.ServiceManagers;

namespace Remediation.Procedures;

/// <summary>
/// The runbook's "Success Criteria Checklist", judged from verification evidence. A criterion that this run
/// cannot measure is "not evaluated" with the reason — never passed by default.
/// </summary>
public static class SuccessCriteriaEvaluator
{
    /// <summary>The runbook's "Response times normal (&lt;2 seconds)".</summary>
    public static readonly TimeSpan NormalResponseTime = TimeSpan.FromSeconds(2);

    public static IReadOnlyList<SuccessCriterion> Evaluate(VerificationReport evidence) =>
    [
        AllServicesRunning(evidence.Statuses),
        NoErrorsInLogs(evidence.Logs),
        HttpOk(evidence.Health),
        DatabaseAccepting(evidence.Database),
        UsersCanLogIn(evidence.LoginPage),
        ResponseTimesNormal(evidence.Health),
        new SuccessCriterion("No spike in error rates", CriterionStatus.NotEvaluated,
            "error rates are watched by the post-restart monitor over the first hour, not by this run", Critical: false),
    ];

    private static SuccessCriterion AllServicesRunning(IReadOnlyList<ServiceStatusReport> statuses)
    {
        const string name = "All services show \"active (running)\" status";
        if (statuses.Count == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "no status was read", Critical: true);
        }

        bool all = statuses.All(s => s.Status.State == ServiceState.Running);
        return new SuccessCriterion(name, all ? CriterionStatus.Passed : CriterionStatus.Failed, string.Join(", ", statuses), Critical: true);
    }

    private static SuccessCriterion NoErrorsInLogs(IReadOnlyList<LogScan> logs)
    {
        const string name = "No error messages in logs";
        if (logs.Count == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "no log files are configured for this service", Critical: false);
        }

        int errors = logs.Sum(l => l.ErrorLineCount);
        if (errors == 0)
        {
            return new SuccessCriterion(name, CriterionStatus.Passed,
                $"no ERROR/CRITICAL lines since the restart began in {string.Join(", ", logs.Select(l => l.Path))}", Critical: false);
        }

        string first = logs.SelectMany(l => l.FirstErrorLines).FirstOrDefault() ?? "";
        string where = string.Join(", ", logs.Where(l => l.ErrorLineCount > 0).Select(l => $"{l.ErrorLineCount} in {l.Path}"));
        return new SuccessCriterion(name, CriterionStatus.Failed, $"{errors} error line(s) since the restart began ({where}); first: {first}", Critical: false);
    }

    private static SuccessCriterion HttpOk(ProbeResult? health)
    {
        const string name = "HTTP response code 200";
        if (health?.StatusCode is null)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated,
                health is null ? "the service has no readiness probe" : $"the readiness probe is not HTTP ({health.Detail})", Critical: true);
        }

        return new SuccessCriterion(name, health.StatusCode == 200 ? CriterionStatus.Passed : CriterionStatus.Failed, health.Detail, Critical: true);
    }

    private static SuccessCriterion DatabaseAccepting(ProbeResult? database)
    {
        const string name = "Database accepting connections";
        return database is null
            ? new SuccessCriterion(name, CriterionStatus.NotEvaluated, "the target has no database in the inventory", Critical: true)
            : new SuccessCriterion(name, database.Healthy ? CriterionStatus.Passed : CriterionStatus.Failed, database.Detail, Critical: true);
    }

    private static SuccessCriterion UsersCanLogIn(ProbeResult? loginPage)
    {
        const string name = "Users can log in";
        if (loginPage is null)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "the service has no login page", Critical: false);
        }

        // Serving the login page is necessary, not sufficient: without test credentials no login is attempted.
        return loginPage.Healthy
            ? new SuccessCriterion(name, CriterionStatus.NotEvaluated, $"login page served ({loginPage.Detail}); no test credentials are configured, so no login was attempted", Critical: false)
            : new SuccessCriterion(name, CriterionStatus.Failed, $"login page not served: {loginPage.Detail}", Critical: false);
    }

    private static SuccessCriterion ResponseTimesNormal(ProbeResult? health)
    {
        const string name = "Response times normal (<2 seconds)";
        if (health is null)
        {
            return new SuccessCriterion(name, CriterionStatus.NotEvaluated, "the service has no readiness probe", Critical: false);
        }

        bool normal = health.Healthy && health.LatencyMs < NormalResponseTime.TotalMilliseconds;
        return new SuccessCriterion(name, normal ? CriterionStatus.Passed : CriterionStatus.Failed, $"{health.LatencyMs} ms ({health.Detail})", Critical: false);
    }
}
