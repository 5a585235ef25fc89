namespace Remediation.Runs.Approvals;

/// <summary>The payload of a run's approve or reject event: who decided (from their credential), the plan they saw, and why.</summary>
public sealed record ApprovalDecision(string Approver = "", string PlanHash = "", string Comment = "");
