using Remediation.Probes;
using Remediation.Procedures;

namespace Remediation.Activities.Services;

/// <summary>Post-restart verification: the evidence gathered and the runbook's success criteria judged from it.</summary>
public sealed record VerificationReport
{
    public IReadOnlyList<ServiceStatusReport> Statuses { get; init; } = [];
    public IReadOnlyList<LogScan> Logs { get; init; } = [];
    public ProbeResult? Health { get; init; }
    public ProbeResult? Database { get; init; }
    public ProbeResult? LoginPage { get; init; }
    public IReadOnlyList<SuccessCriterion> Criteria { get; init; } = [];

    public bool CriticalPassed => Criteria.All(c => !c.Critical || c.Status != CriterionStatus.Failed);

    public bool AllPassed => Criteria.All(c => c.Status != CriterionStatus.Failed);
}
